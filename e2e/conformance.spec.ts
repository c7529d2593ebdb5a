/**
 * The WASI conformance suite in Chromium: every program of conformance/ run by the engine in the
 * page (Web Workers, cross-origin isolated), through the harness page of conformance/browser
 * (built and previewed here on its own port, independent of the playground's UI), against the
 * same expectations as the Node test (src/core/wasi/conformance.test.ts): every check passes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { CHECKS, PROGRAMS, engineConfig, parseChecks, tally } from '../conformance/suite.ts';
import { startPreview, type Preview } from './preview.ts';

const PORT = 4181;
const BASE = `http://127.0.0.1:${PORT}`;
const CONFIG = 'conformance/browser/vite.config.ts';
let server: Preview | null = null;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: BASE });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const build = spawnSync('npx', ['vite', 'build', '--config', CONFIG], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`vite build --config ${CONFIG} failed`);
  server = await startPreview(PORT, { config: CONFIG });
});

test.afterAll(() => server?.stop());

const passedInChromium: Record<string, number> = {};

async function runInPage(page: import('@playwright/test').Page, program: string, config: ReturnType<typeof engineConfig>) {
  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready');
  const module = readFileSync(new URL(`../conformance/wasm/${program}.wasm`, import.meta.url)).toString('base64');
  return page.evaluate(([bytes, name, cfg]) => window.runConformance(bytes, name, cfg), [module, `${program}.wasm`, config] as const);
}

for (const program of PROGRAMS) {
  test(`${program}: every check passes in Chromium`, async ({ page }) => {
    test.setTimeout(90_000);
    const result = await runInPage(page, program, engineConfig());
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.error).toBeNull();
    expect(result.exit_code).toBe(0);
    const t = tally(program, result.stdout);
    const lines = parseChecks(result.stdout);
    const failures = t.failed.map((name) => `${name}: ${lines.get(name)?.observed ?? '(not printed)'} (expected ${lines.get(name)?.expected ?? '?'})`);
    expect(failures).toEqual([]);
    expect(t.unknown).toEqual([]);
    passedInChromium[program] = t.passed.length;
  });
}

test('the call filter holds in the page: a filtered symlink or link is ENOSYS and makes nothing', async ({ page }) => {
  const config = engineConfig();
  const filtered = { ...config, policy: { ...config.policy, wasi_filter: { mode: 'deny' as const, calls: ['path_symlink' as const, 'path_link' as const] } } };
  const seen = parseChecks((await runInPage(page, 'links', filtered)).stdout);
  expect(seen.get('symlink.create')?.observed).toBe('NOSYS');
  expect(seen.get('symlink.readlink')?.observed).toBe('""');
  expect(seen.get('link.create')?.observed).toMatch(/^NOSYS/);
});

test('the whole suite passes in Chromium', () => {
  const total = PROGRAMS.reduce((n, p) => n + CHECKS[p].length, 0);
  const passed = Object.values(passedInChromium).reduce((n, k) => n + k, 0);
  console.log(`WASI conformance in Chromium: ${passed}/${total} checks`);
  expect(passed).toBe(total);
});
