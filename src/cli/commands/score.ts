/** `kavach score`: kavach's strength score of a policy, and with --explain the playground's breakdown. */
import { BACKENDS, presetPolicy, sandboxConfigSchema, type Backend, type SandboxConfig } from '../../core/policy/index.ts';
import { kavachScore, playgroundScore, type ScoreLine } from '../../core/score/index.ts';
import type { Command } from '../io.ts';
import { badInput, loadPolicyFile, parseCommand } from './common.ts';

export const HELP = `usage: kavach score [--backend NAME] [--preset NAME | --policy FILE] [--explain]

Prints the strength score kavach gives a policy, as kavach prints it, e.g. "80 (hardened)".

  --backend NAME   kavach backend: ${BACKENDS.join(', ')}
                   (default: the policy document's backend, else wasm)
  --preset NAME    kavach's preset: minimal, basic or strict (default: minimal)
  --policy FILE    a policy document (kavach SandboxPolicy or SandboxConfig JSON)
  --explain        also show the playground's score: only what this sandbox really enforces,
                   point by point, with controls kavach credits that do nothing here
  -h, --help       this text

Exit status: 0; 2 for bad input.
`;

export const run: Command = async (argv, io) => {
  const bad = (message: string) => badInput(io, 'score', message);
  const parsed = parseCommand(argv, io, 'score', HELP, {
    backend: { type: 'string' }, preset: { type: 'string' }, policy: { type: 'string' }, explain: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return bad(`unexpected argument "${positionals[0]}"`);
  if (values.preset !== undefined && values.policy !== undefined) return bad('give --preset or --policy, not both');

  let config: SandboxConfig;
  let source: string;
  if (values.policy !== undefined) {
    const loaded = await loadPolicyFile(io, values.policy);
    if (!loaded.ok) return bad(loaded.message);
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    config = loaded.config;
    source = `policy ${values.policy}`;
  } else {
    const preset = values.preset ?? 'minimal';
    try {
      config = sandboxConfigSchema.parse({ policy: presetPolicy(preset) });
    } catch (e) {
      return bad((e as Error).message);
    }
    source = `preset ${preset.toLowerCase()}`;
  }
  let backend: Backend = config.backend;
  if (values.backend !== undefined) {
    const name = values.backend.toLowerCase();
    if (!(BACKENDS as readonly string[]).includes(name)) return bad(`unknown backend: ${values.backend} (use ${BACKENDS.join(', ')})`);
    backend = name as Backend;
  }

  const kavach = kavachScore(backend, config.policy);
  if (!values.explain) {
    io.stdout(`${kavach.display}\n`);
    return 0;
  }
  const playground = playgroundScore(config);
  io.stdout([
    `kavach:     ${kavach.display}   (${backend} backend, ${source}; credits controls whether or not enforced)`,
    `playground: ${playground.display}   (wasm in a worker; credits only what it enforces)`,
    '',
    formatLines(playground.lines),
    '='.repeat(6),
    `${String(playground.score).padStart(6)}  total (${playground.label})`,
    '',
  ].join('\n'));
  if (backend !== 'wasm') io.stdout(`note: the playground runs only the wasm backend; its score does not depend on --backend\n`);
  return 0;
};

function formatLines(lines: readonly ScoreLine[]): string {
  const idWidth = Math.max(...lines.map((l) => l.id.length));
  const header = `${'points'.padStart(6)}  enforced  ${'control'.padEnd(idWidth)}  reason`;
  const rows = lines.map((l) => {
    const points = l.points > 0 && l.id !== 'base' ? `+${l.points}` : String(l.points);
    return `${points.padStart(6)}  ${(l.enforced ? 'yes' : 'no').padEnd(8)}  ${l.id.padEnd(idWidth)}  ${l.reason}`;
  });
  return [header, ...rows].join('\n');
}
