/** `kavach scan`: run the externalization gate over text and print its verdict and findings. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scanOutput, type Finding } from '../../core/gate/index.ts';
import type { ExternalizationPolicy } from '../../core/policy/index.ts';
import { EXIT_BAD_INPUT, type Command } from '../io.ts';
import { loadPolicyFile } from './policy-file.ts';

export const HELP = `usage: kavach scan [FILE] [--policy FILE] [--redacted]

Runs kavach's externalization gate on FILE (stdin when no FILE is given, or FILE is "-") and
prints its verdict (pass, warn, quarantine, block), the reason, and each finding with its line,
column, pattern, category, severity and a short redacted excerpt.

  --policy FILE   take the gate settings (externalization) from a policy document
                  (default: kavach's: block at critical, quarantine at high, 50 MiB cap, redact)
  --redacted      print the text as it may leave the sandbox on stdout (matches redacted on
                  warn; nothing when withheld) and the report on stderr
  -h, --help      this text

Exit status: 0 pass or warn (the output may be released); 1 quarantine or block (the output
is withheld); 2 for bad input.
`;

export const run: Command = async (argv, io) => {
  const bad = (message: string) => {
    io.stderr(`kavach scan: ${message}\nRun \`kavach scan --help\` for usage.\n`);
    return EXIT_BAD_INPUT;
  };
  let values: { policy?: string; redacted?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { policy: { type: 'string' }, redacted: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    return bad((e as Error).message);
  }
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 1) return bad(`expected at most one FILE, got ${positionals.length}`);

  let gate: ExternalizationPolicy | null = null;
  if (values.policy !== undefined) {
    const loaded = loadPolicyFile(io, values.policy);
    if (!loaded.ok) return bad(loaded.message);
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    gate = loaded.config.externalization;
  }

  const file = positionals[0] ?? '-';
  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? await io.readStdin() : new Uint8Array(readFileSync(resolve(io.cwd, file)));
  } catch (e) {
    return bad(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const text = new TextDecoder().decode(bytes);
  const result = scanOutput(text, gate);

  const report = [
    `verdict: ${result.verdict}`,
    ...(result.reason !== null ? [`reason: ${result.reason}`] : []),
    ...result.notes.map((n) => `note: ${n}`),
    `findings: ${result.findings.length}`,
    ...result.findings.map((f) => `  ${describeFinding(text, f)}`),
    '',
  ].join('\n');
  if (values.redacted) {
    if (result.redacted !== null) io.stdout(result.redacted);
    io.stderr(report);
  } else {
    io.stdout(report);
  }
  return result.withheld ? 1 : 0;
};

function describeFinding(text: string, f: Finding): string {
  const before = text.slice(0, f.start);
  const line = before.split('\n').length;
  const column = f.start - before.lastIndexOf('\n');
  return `${line}:${column}  ${f.pattern}  ${f.category}  ${f.severity}  ${f.evidence}`;
}
