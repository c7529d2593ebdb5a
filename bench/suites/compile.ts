/**
 * Building from source: in Chromium, the time to the first build (the compiler's 105 MB fetched
 * from the local server and compiled), a warm build, and a build on a second visit (the compiler
 * from the service worker's cache); in Node, what `kavach build` costs. And the page's initial
 * JavaScript: the compiler is no part of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { buildSource } from '../../src/core/compile/build.ts';
import { defaultFlags } from '../../src/core/compile/flags.ts';
import { CLANG_VERSION, toolchain } from '../../src/core/compile/toolchain.ts';
import { withChromiumPage } from '../browser.ts';
import type { Figure, Section, Suite } from '../types.ts';

const dist = new URL('../../dist/', import.meta.url);
const HELLO = readFileSync(new URL('../../examples/src/hello.c', import.meta.url), 'utf8');
const WARM_RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Press Build in the Source tab; milliseconds until the page says it built. */
async function timeBuild(page: Page): Promise<number> {
  const panel = page.getByRole('tabpanel', { name: /^Source/ });
  const progress = panel.locator('.build-progress');
  const started = Date.now();
  await panel.getByRole('button', { name: 'Build', exact: true }).click();
  await progress.waitFor({ state: 'attached' });
  await progress.waitFor({ state: 'detached', timeout: 600_000 });
  const took = Date.now() - started;
  await panel.getByTestId('module-hash').waitFor({ timeout: 1000 });
  return took;
}

async function openSource(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByText('hello.wasm', { exact: true }).waitFor();
  await page.getByRole('tab', { name: /^Source/ }).click();
  await page.getByRole('textbox', { name: 'Source of hello.c' }).waitFor({ state: 'attached', timeout: 60_000 });
}

function compilerFiles(): { raw: number; gzip: number } {
  const dir = new URL('compiler/', dist);
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(dir).filter((n) => !n.endsWith('.map'))) {
    const bytes = readFileSync(new URL(name, dir));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 6 }).length;
  }
  return { raw, gzip };
}

async function chromium(): Promise<Section> {
  return withChromiumPage('vite.config.ts', async (page, version) => {
    const browser = page.context().browser()!;
    // A first visit: nothing cached, the service worker not yet in control.
    const first = await browser.newContext({ baseURL: 'http://127.0.0.1:4179' });
    const visit = await first.newPage();
    await openSource(visit);
    const firstMs = await timeBuild(visit);
    const warm: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await timeBuild(visit));
    // The kept compiler: written to the cache a moment after it arrives.
    await visit.waitForFunction(async () => {
      let n = 0;
      for (const key of await caches.keys()) for (const r of await (await caches.open(key)).keys()) if (/\/compiler\/.*\.(wasm|tar)$/.test(r.url)) n++;
      return n === 5;
    }, null, { timeout: 120_000, polling: 500 });
    // A second visit in the same profile: the service worker answers from its cache.
    const second = await first.newPage();
    await openSource(second);
    const secondMs = await timeBuild(second);
    await first.close();
    const compilerBytes = compilerFiles();
    const figures: Figure[] = [
      { name: 'first build, hello.c -O2 (fetching the compiler from the local server, compiling it, building)', value: firstMs, unit: 'ms' },
      { name: 'the compiler\'s files (dist/compiler/), as fetched on the first build', value: compilerBytes.raw / 1048576, unit: 'MiB', note: `${(compilerBytes.gzip / 1048576).toFixed(1)} MiB gzip; vite preview sends them uncompressed` },
      { name: `warm build, hello.c -O2 (median of ${WARM_RUNS})`, value: median(warm), unit: 'ms' },
      { name: 'first build on a second visit (compiler from the service worker\'s cache, compiled again)', value: secondMs, unit: 'ms' },
    ];
    return { title: `Building in the page (clang ${CLANG_VERSION})`, runtime: version, figures };
  });
}

async function node(): Promise<Section> {
  const tools = toolchain();
  const request = { fileName: 'hello.c', text: HELLO, flags: defaultFlags('c') };
  let started = performance.now();
  const first = await buildSource(tools, request);
  const firstMs = performance.now() - started;
  if (!first.ok) throw new Error(first.message);
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    started = performance.now();
    const again = await buildSource(tools, request);
    warm.push(performance.now() - started);
    if (!again.ok || again.sha256 !== first.sha256) throw new Error('a warm build differed from the first');
  }
  return {
    title: `Building in Node, as kavach build does (clang ${CLANG_VERSION})`,
    runtime: `Node ${process.versions.node}`,
    figures: [
      { name: 'first build, hello.c -O2 (loading the compiler from node_modules, compiling it, building)', value: firstMs, unit: 'ms' },
      { name: `warm build, hello.c -O2 (median of ${WARM_RUNS}; the same bytes each time)`, value: median(warm), unit: 'ms' },
    ],
  };
}

/** What index.html loads before anything lazy: its size, and that no compiler code is in it. */
function initialJavaScript(): Section {
  const html = readFileSync(new URL('index.html', dist), 'utf8');
  const initial = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const texts = initial.map((f) => readFileSync(new URL(f, dist)));
  const kb = texts.reduce((n, t) => n + gzipSync(t, { level: 9 }).length, 0) / 1024;
  // The compile worker and the compiler are reached only through a dynamic import of build-session.
  const compilerInInitial = texts.filter((t) => /llvm\.core|WabtModule|compiler\/bundle|kavach-compile/.test(t.toString('utf8'))).length;
  return {
    title: 'The page\'s initial JavaScript with the compiler added',
    runtime: 'vite build (production)',
    figures: [
      { name: `initial JavaScript (${initial.length} files index.html loads)`, value: kb, unit: 'KB', target: '<= 250 gzip', ok: kb <= 250, note: 'gzip; 162.3 KB before building from source (05afec3)' },
      { name: 'initial files that hold compiler code or start the compile worker', value: compilerInInitial, unit: 'count', target: '0', ok: compilerInInitial === 0 },
    ],
  };
}

export const run: Suite = async () => {
  const browser = await chromium();
  return [browser, initialJavaScript(), await node()];
};
