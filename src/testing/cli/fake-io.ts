/** A CliIO that records what a command prints, for tests. */
import type { CliIO, Command } from '../../cli/io.ts';

export function fakeIO(options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const text = (t: string | Uint8Array) => (typeof t === 'string' ? t : new TextDecoder().decode(t));
  const io: CliIO = {
    stdout: (t) => void out.push(text(t)),
    stderr: (t) => void err.push(text(t)),
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ''),
    cwd: options.cwd ?? '/',
    env: options.env ?? {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Run `command` with `argv` and return its exit status and everything it printed. */
export async function runCommand(command: Command, argv: string[], options: { stdin?: string; cwd?: string } = {}) {
  const t = fakeIO(options);
  const code = await command(argv, t.io);
  return { code, out: t.stdout(), err: t.stderr() };
}
