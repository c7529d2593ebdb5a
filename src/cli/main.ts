/** `kavach` command-line entry: dispatches to a subcommand. */
import type { CliIO, Command } from './io.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from './io.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  run: { summary: 'run a WASI module (or build a C, C++ or .wat source and run it) under a sandbox policy', load: () => import('./commands/run.ts') },
  build: { summary: 'build a WASI module from C, C++ or WebAssembly text with the page\'s compiler', load: () => import('./commands/build.ts') },
  exec: { summary: "kavach's exec: run a module with kavach's flags (-b wasm -p PRESET -t MS)", load: () => import('./commands/exec.ts') },
  backends: { summary: "list kavach's backends and which runs here", load: () => import('./commands/backends.ts') },
  instrument: { summary: 'write a fuel-metered, memory-capped copy of a module', load: () => import('./commands/instrument.ts') },
  score: { summary: "print kavach's strength score of a backend and policy (--explain: the playground's breakdown)", load: () => import('./commands/score.ts') },
  scan: { summary: 'run the output gate on text and print its verdict', load: () => import('./commands/scan.ts') },
  audit: { summary: 'verify an exported audit trail (audit verify FILE)', load: () => import('./commands/audit.ts') },
  policy: { summary: 'convert a policy: export to kavach, wasmtime, extism (deno/node as an analogy); import any of them', load: () => import('./commands/policy.ts') },
};

/** A first argument that names a module or a source is short for `run`. */
const RUNNABLE = /\.(wasm|c|cc|cpp|cxx|wat)$/i;

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: kavach <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "`kavach module.wasm [args...]` (or prog.c, prog.cpp, prog.wat) is short for `kavach run module.wasm [args...]`.",
    'Run `kavach <command> --help` for its options.',
  ].join('\n');
}

export function processIO(): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async (limit = Infinity) => {
      // A terminal is not read: the module would wait for input nobody knows it wants.
      if (process.stdin.isTTY) return new Uint8Array(0);
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of process.stdin) {
          chunks.push(chunk as Buffer);
          size += (chunk as Buffer).length;
          if (size > limit) break;
        }
      } catch {
        return new Uint8Array(0); // no stdin attached
      }
      return new Uint8Array(Buffer.concat(chunks));
    },
    cwd: process.cwd(),
    env: process.env,
  };
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(usage() + '\n');
    return first === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  const command = COMMANDS[first] ?? (RUNNABLE.test(first) ? COMMANDS.run : undefined);
  if (command === undefined) {
    io.stderr(`kavach: unknown command "${first}"\n\n${usage()}\n`);
    return EXIT_BAD_INPUT;
  }
  const args = COMMANDS[first] ? rest : argv;
  const { run } = await command.load();
  return run(args, io);
}
