/**
 * Every gallery source, built here with the page's compiler (in Node, as the CLI builds), behaves
 * as the committed module built with Debian's clang: the same output under the engine, and the
 * lesson's checks pass for both of its policies. The bytes differ (another compiler and a newer
 * wasi-libc); the sources are built once for the whole file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES, Engine, SecretStore, buildSource, parseDocument, spawnNodeWorker, toolchain, type Example, type RunResult, type SandboxConfigInput,
} from '../core/node.ts';
import { checkExpectation, lessonExpectation, lessonFor, lessonPolicy } from './lessons.ts';

const engine = new Engine(spawnNodeWorker, { prewarm: true });
afterAll(() => engine.dispose());

const built = new Map<string, Uint8Array>();
beforeAll(async () => {
  const tools = toolchain();
  for (const example of EXAMPLES) {
    const result = await buildSource(tools, { fileName: example.source.split('/').pop()!, text: readFileSync(example.source, 'utf8'), flags: example.flags });
    if (!result.ok) throw new Error(`${example.id} did not build: ${result.message}\n${result.log}`);
    built.set(example.id, result.wasm);
  }
}, 600_000);

async function run(example: Example, module: Uint8Array, config: SandboxConfigInput): Promise<RunResult> {
  const secrets = new SecretStore();
  for (const [name, value] of Object.entries(lessonFor(example.id)?.demoSecrets ?? {})) secrets.register(name, value);
  const report = await engine.run({ module, moduleName: `${example.id}.wasm`, config: parseDocument(config), secrets }).result;
  if (!report.ok) throw new Error(`${example.id} did not run: ${report.error.message}`);
  return report.result;
}

/**
 * Where the newer wasi-libc behaves otherwise, in the module's own code: a path under no mount
 * fails in libc with ENOENT (44) where the 2022 snapshot said ENOTCAPABLE (76), and arc4random
 * draws its bytes another way. Both are decided inside the module, before the host is asked.
 */
const LIBC_DIFFERENCES: Readonly<Record<string, (stdout: string) => string>> = {
  fs_tour: (s) => s.replace('errno=76 (Capabilities insufficient)', 'errno=44 (No such file or directory)'),
  escape: (s) => s.replace(/^((?:read|opendir) (?:\.\.\/etc\/passwd|\/etc\/passwd|\/)): errno=76 \(Capabilities insufficient\)$/gm, '$1: errno=44 (No such file or directory)'),
  clock_random: (s) => s.replace(/^arc4random.*\n/gm, ''),
};

const DETERMINISTIC = { clock_start_ms: 1_234_567_890_000, clock_step_ns: 250, random_seed: 2024 };

describe('every gallery source, built with the page\'s compiler', () => {
  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s: the same output and ending as the committed module', async (id, example) => {
    const config = { ...example.policy, deterministic: DETERMINISTIC };
    const committed = await run(example, new Uint8Array(readFileSync(`public/${example.wasm}`)), config);
    const rebuilt = await run(example, built.get(id)!, config);
    const same = LIBC_DIFFERENCES[id] ?? ((s: string) => s);
    expect(rebuilt.outcome.kind).toBe(committed.outcome.kind);
    expect(rebuilt.exit_code).toBe(committed.exit_code);
    expect(id === 'clock_random' ? same(rebuilt.stdout) : rebuilt.stdout).toBe(same(committed.stdout));
    expect(rebuilt.stderr).toBe(committed.stderr);
  });

  it.each(EXAMPLES.flatMap((e) => (['default', 'tryThis'] as const).map((v) => [e.id, v, e] as const)))('%s under its %s policy ends as the lesson says', async (id, variant, example) => {
    const result = await run(example, built.get(id)!, lessonPolicy(example, variant));
    expect(checkExpectation(lessonExpectation(id, variant)!, result)).toEqual([]);
  });
});
