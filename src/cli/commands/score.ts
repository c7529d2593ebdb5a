/**
 * `kavach score`: kavach's strength score of a backend and a policy, with kavach's own flags and
 * defaults, and with --explain the playground's breakdown.
 */
import { kavachScore, playgroundScore, sandboxConfigSchema, type Backend, type SandboxConfig, type ScoreLine } from '../../core/index.ts';
import { EXIT_OK, type Command } from '../io.ts';
import { badInput, loadPolicyFile, parseCommand } from './common.ts';
import { DEFAULT_BACKEND, DEFAULT_PRESET, KAVACH_BACKENDS, backendName, parseBackend, resolvePreset } from './kavach-cli.ts';

export const HELP = `usage: kavach score [-b NAME] [-p NAME | --policy-file FILE] [--no-network] [--explain]

Prints the strength score kavach gives a backend and a policy, as kavach's own \`kavach score\`
does, with its flags and defaults: \`kavach score\` prints "60 (standard)" (process, basic).

  -b, --backend NAME    kavach backend: ${KAVACH_BACKENDS.map((b) => b.name).join(', ')}
                        (also syagnos; default: process, as kavach; with --policy-file, the
                        document's backend)
  -p, --policy NAME     kavach's preset: minimal, basic or strict (default: basic, as kavach);
                        --preset NAME is the same
  --policy-file FILE    a policy document instead (kavach SandboxPolicy or SandboxConfig JSON)
  --no-network          score with the network disabled (as kavach; every preset has it off)
  --explain             also show the playground's score: only what this sandbox really enforces,
                        point by point, with controls kavach credits that do nothing here
  -h, --help            this text

Exit status: 0; 2 for bad input, with kavach's messages ("unknown backend: NAME",
"unknown policy: NAME (use minimal, basic, strict)").
`;

export const run: Command = async (argv, io) => {
  const bad = (message: string) => badInput(io, 'score', message);
  const parsed = parseCommand(argv, io, 'score', HELP, {
    backend: { type: 'string', short: 'b' }, policy: { type: 'string', short: 'p' }, preset: { type: 'string' },
    'policy-file': { type: 'string' }, 'no-network': { type: 'boolean' }, explain: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return bad(`unexpected argument "${positionals[0]}"`);
  if (values.policy !== undefined && values.preset !== undefined) return bad('give -p/--policy or --preset, not both');
  const presetName = values.policy ?? values.preset;
  const file = values['policy-file'];
  if (presetName !== undefined && file !== undefined) return bad('give -p/--policy or --policy-file, not both');
  const noNetwork = values['no-network'] === true;

  let config: SandboxConfig;
  let source: string;
  let backend: Backend = DEFAULT_BACKEND;
  if (file !== undefined) {
    const loaded = await loadPolicyFile(io, file);
    if (!loaded.ok) return bad(loaded.message);
    for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    config = loaded.config;
    if (noNetwork) config = { ...config, policy: { ...config.policy, network: { ...config.policy.network, enabled: false } } };
    backend = config.backend;
    source = `policy ${file}`;
  } else {
    const preset = resolvePreset(presetName ?? DEFAULT_PRESET, noNetwork);
    if (!preset.ok) return bad(preset.message);
    config = sandboxConfigSchema.parse({ policy: preset.policy });
    source = `preset ${(presetName ?? DEFAULT_PRESET).toLowerCase()}`;
  }
  if (values.backend !== undefined) {
    const parsedBackend = parseBackend(values.backend);
    if (!parsedBackend.ok) return bad(parsedBackend.message);
    backend = parsedBackend.backend;
  }

  const kavach = kavachScore(backend, config.policy);
  if (!values.explain) {
    io.stdout(`${kavach.display}\n`);
    return EXIT_OK;
  }
  const playground = playgroundScore(config);
  io.stdout([
    `kavach:     ${kavach.display}   (${backendName(backend)} backend, ${source}; credits controls whether or not enforced)`,
    `playground: ${playground.display}   (wasm in a worker; credits only what it enforces)`,
    '',
    formatLines(playground.lines),
    '='.repeat(6),
    `${String(playground.score).padStart(6)}  total (${playground.label})`,
    '',
  ].join('\n'));
  if (backend !== 'wasm') io.stdout(`note: the playground runs only the wasm backend; its score does not depend on --backend\n`);
  return EXIT_OK;
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
