/** `kavach scan`: run the externalization gate over text and print its verdict and findings. */
import { DEFAULT_EXTERNALIZATION, scanOutput, type ExternalizationPolicy, type Finding } from '../../core/index.ts';
import { EXIT_FAILURE, EXIT_OK, type Command } from '../io.ts';
import { badInput, loadPolicyFile, parseCommand, readInput } from './common.ts';

export const HELP = `usage: kavach scan [FILE] [--policy-file FILE] [--redacted]

Runs kavach's externalization gate on FILE (stdin when no FILE is given, or FILE is "-") and
prints its verdict (pass, warn, quarantine, block), kavach's error when it withholds, and
kavach's findings (the first match of each pattern) with line, column, pattern, category,
severity and a short excerpt.

  --policy-file FILE  take the gate settings (externalization) from a policy document; a
                      document whose externalization is null has no gate, as in kavach
                      (default: kavach's: block at critical, quarantine at high, 50 MiB cap,
                      redact; --policy FILE is the same)
  --redacted          print the text as it may leave the sandbox on stdout (matches redacted on
                      warn; nothing when withheld) and the report on stderr
  -h, --help          this text

Exit status: 0 pass or warn (the output may be released); 1 quarantine or block (the output
is withheld, kavach's error); 2 for bad input.
`;

export const run: Command = async (argv, io) => {
  const bad = (message: string) => badInput(io, 'scan', message);
  const parsed = parseCommand(argv, io, 'scan', HELP, { 'policy-file': { type: 'string' }, policy: { type: 'string' }, redacted: { type: 'boolean' } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) return bad(`expected at most one FILE, got ${positionals.length}`);
  if (values.policy !== undefined && values['policy-file'] !== undefined) return bad('give --policy-file or --policy, not both');
  const policyFile = values['policy-file'] ?? values.policy;

  let gate: ExternalizationPolicy | null = DEFAULT_EXTERNALIZATION;
  if (policyFile !== undefined) {
    const loaded = await loadPolicyFile(io, policyFile);
    if (!loaded.ok) return bad(loaded.message);
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    gate = loaded.config.externalization;
  }

  const file = positionals[0] ?? '-';
  const input = await readInput(io, file);
  if (!input.ok) return bad(input.message);
  const text = new TextDecoder().decode(input.bytes);
  const result = scanOutput(text, gate);

  const report = [
    `verdict: ${result.verdict}`,
    ...(result.error !== null ? [`error: ${result.error}`] : []),
    ...result.notes.map((n) => `note: ${n}`),
    `findings: ${result.findings.length}`,
    ...result.findings.map((f) => `  ${describeFinding(text, f)}`),
    ...(result.matches > result.findings.length ? [`matches: ${result.matches} (kavach counts the first of each pattern)`] : []),
    '',
  ].join('\n');
  if (values.redacted) {
    if (result.redacted !== null) io.stdout(result.redacted);
    io.stderr(report);
  } else {
    io.stdout(report);
  }
  return result.withheld ? EXIT_FAILURE : EXIT_OK;
};

function describeFinding(text: string, f: Finding): string {
  const before = text.slice(0, f.start);
  const line = before.split('\n').length;
  const column = f.start - before.lastIndexOf('\n');
  return `${line}:${column}  ${f.pattern}  ${f.category}  ${f.severity}  ${f.evidence}`;
}
