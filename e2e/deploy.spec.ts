/**
 * One build, deployed anywhere: the production build copied into a folder of a plain static
 * server (no headers of ours, no rewrites, 404 for anything that is not a file) works there, at
 * the root and two copies side by side, online and offline.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { cspViolations, expectChangedSetupRestored, openPlayground, output, result, runToEnd, shareChangedSetup } from './helpers.ts';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ttf': 'font/ttf',
  '.tar': 'application/x-tar',
};

/** A copy of the build at `path` (a folder, ending in "/"), with `extra` files laid over it. */
interface Deployment {
  path: string;
  extra?: Record<string, string>;
}

interface StaticHost {
  origin: string;
  /** Every request the host answered, in order. */
  requests: { path: string; status: number }[];
  close(): Promise<void>;
}

/**
 * A static file server such as a university's web space: files as they are, a folder's
 * index.html, a redirect from "/kp" to "/kp/", 404 for the rest. No caching, so that offline
 * the service worker is the only thing that can answer.
 */
async function serveBuild(deployments: Deployment[]): Promise<StaticHost> {
  const requests: StaticHost['requests'] = [];
  const longestFirst = [...deployments].sort((a, b) => b.path.length - a.path.length);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}) => {
      requests.push({ path, status });
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    for (const { path: folder, extra } of longestFirst) {
      if (folder !== '/' && path === folder.slice(0, -1)) return send(301, '', undefined, { Location: folder });
      if (!path.startsWith(folder)) continue;
      let rel: string;
      try {
        rel = decodeURIComponent(path.slice(folder.length));
      } catch {
        return send(400, 'bad path');
      }
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      if (extra?.[rel] !== undefined) return send(200, extra[rel], MIME[extname(rel)]);
      const file = normalize(join(DIST, rel));
      if (!file.startsWith(DIST + sep) || !existsSync(file) || !statSync(file).isFile()) return send(404, 'not found');
      return send(200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
    }
    return send(404, 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test.beforeAll(() => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('no production build in dist/: run `npx vite build` first');
});

// These tests are about the service worker too; the page's offline support is part of a deployment.
test.use({ serviceWorkers: 'allow' });

/** Wait until this page's service worker is active and controls it; its scope. */
async function offlineReady(page: Page): Promise<string> {
  return page.evaluate(() => {
    const controlled = (async () => {
      const registration = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
      return registration.scope;
    })();
    // A worker whose installation fails never becomes ready: say so instead of waiting out the test.
    const late = new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no service worker controls the page after 15 s')), 15_000));
    return Promise.race([controlled, late]);
  });
}

for (const folder of ['/kp/', '/']) {
  test.describe(`deployed at ${folder}`, () => {
    let host: StaticHost;
    test.beforeAll(async () => {
      host = await serveBuild([{ path: folder }]);
    });
    test.afterAll(() => host.close());

    test('the page loads, runs the hello example, and asks nothing outside its folder', async ({ page }, testInfo) => {
      const { outside, errors } = await openPlayground(page, { address: host.origin + folder });
      await runToEnd(page);
      await expect(output(page)).toContainText('Hello from WebAssembly!');
      await expect(result(page)).toContainText('exited with code 0');
      // The lazily loaded editor, with its workers.
      await page.getByRole('tab', { name: 'JSON' }).click();
      await expect(page.getByRole('textbox', { name: 'Policy JSON' })).toBeVisible({ timeout: 20_000 });
      const logo = page.locator('.brand img');
      await expect(logo).toHaveJSProperty('src', `${host.origin}${folder}favicon.svg`);
      await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      // What a user sees, kept for a person to look at (test-results/…/page.png).
      await page.screenshot({ path: testInfo.outputPath('page.png') });
      // An example's source, a chunk of its own.
      await page.getByRole('button', { name: 'Lesson and source' }).click();
      await expect(page.getByRole('region', { name: 'Source' }).locator('.monaco-editor .view-lines')).toContainText('Hello from WebAssembly!', { timeout: 20_000 });

      expect(host.requests.filter((r) => r.status !== 200 || !r.path.startsWith(folder))).toEqual([]);
      expect(host.requests.map((r) => r.path)).toContain(`${folder}examples/hello.wasm`);
      expect(outside()).toEqual([]);
      expect(errors()).toEqual([]);
      expect(await cspViolations(page)).toEqual([]);
    });

    test('a share link made here points here, restores the setup and runs nothing', async ({ page, context }) => {
      // A query (a campaign tag, say) is not part of the page's address and stays out of the link.
      await openPlayground(page, { address: `${host.origin}${folder}?from=mail` });
      const url = await shareChangedSetup(page);
      expect(url.startsWith(`${host.origin}${folder}#v2.`), url).toBe(true);

      const other = await context.newPage();
      await other.goto(url);
      await expectChangedSetupRestored(other);
      expect(host.requests.filter((r) => r.status !== 200 || !r.path.startsWith(folder))).toEqual([]);
    });

    test('once loaded, it reloads and runs offline', async ({ page, context }) => {
      await page.goto(host.origin + folder);
      await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
      expect(await offlineReady(page)).toBe(host.origin + folder);
      // A second load goes through the service worker, which keeps what the page fetches.
      await page.reload();
      await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
      await runToEnd(page);
      await expect(output(page)).toContainText('Hello from WebAssembly!');

      await context.setOffline(true);
      await page.reload();
      await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
      await runToEnd(page);
      await expect(output(page)).toContainText('Hello from WebAssembly!');
      await expect(result(page)).toContainText('exited with code 0');
      const cacheNames = await page.evaluate(() => caches.keys());
      expect(cacheNames).toEqual([`kavach-playground v2 ${folder}`]);
    });
  });
}

test.describe('deployed at /kp/, building from source', () => {
  const folder = '/kp/';
  let host: StaticHost;
  test.beforeAll(async () => {
    host = await serveBuild([{ path: folder }]);
  });
  test.afterAll(() => host.close());

  test('builds a source with the compiler copied beside the page, from this folder only', async ({ page }) => {
    test.setTimeout(300_000);
    const { outside, errors } = await openPlayground(page, { address: host.origin + folder });
    await page.getByRole('tab', { name: /^Source/ }).click();
    await page.getByRole('tabpanel', { name: /^Source/ }).getByRole('button', { name: 'Build', exact: true }).click();
    await expect(page.getByText(/✓ Built hello\.wasm/)).toBeVisible({ timeout: 240_000 });
    const compiler = host.requests.filter((r) => r.path.startsWith(`${folder}compiler/`)).map((r) => r.path.slice(folder.length).replace(/-[\w-]{8}\./, '-HASH.'));
    expect(compiler.sort()).toEqual(['compiler/bundle-HASH.js', 'compiler/llvm-resources-HASH.tar', 'compiler/llvm.core-HASH.wasm', 'compiler/llvm.core2-HASH.wasm', 'compiler/llvm.core3-HASH.wasm', 'compiler/llvm.core4-HASH.wasm']);
    expect(host.requests.filter((r) => r.status !== 200 || !r.path.startsWith(folder))).toEqual([]);
    expect(outside()).toEqual([]);
    expect(errors()).toEqual([]);
  });
});

test.describe('two copies on one origin', () => {
  let host: StaticHost;
  test.beforeAll(async () => {
    host = await serveBuild([
      { path: '/kp/', extra: { 'marker.json': '{"copy":"kp"}' } },
      { path: '/kp-next/', extra: { 'marker.json': '{"copy":"kp-next"}' } },
    ]);
  });
  test.afterAll(() => host.close());

  /** What `path` answers from this page, or "failed" when nothing does. */
  const fetchText = (page: Page, path: string) =>
    page.evaluate((p) => fetch(p).then((r) => (r.ok ? r.text() : `HTTP ${r.status}`), () => 'failed'), path);

  test('never answer with, or delete, each other\'s cached files', async ({ page, context }) => {
    await page.goto(`${host.origin}/kp/`);
    await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
    expect(await offlineReady(page)).toBe(`${host.origin}/kp/`);
    await page.reload(); // through the worker this time, so the page's files are kept
    await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
    expect(await fetchText(page, 'marker.json')).toBe('{"copy":"kp"}');
    // The other copy's file, asked for by this page: outside this worker's scope, so not kept.
    expect(await fetchText(page, '/kp-next/marker.json')).toBe('{"copy":"kp-next"}');

    const next = await context.newPage();
    await next.goto(`${host.origin}/kp-next/`);
    await expect(next.getByText('hello.wasm', { exact: true })).toBeVisible();
    expect(await offlineReady(next)).toBe(`${host.origin}/kp-next/`);
    await next.reload();
    await expect(next.getByText('hello.wasm', { exact: true })).toBeVisible();
    expect(await fetchText(next, 'marker.json')).toBe('{"copy":"kp-next"}');

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
    expect(await fetchText(page, 'marker.json')).toBe('{"copy":"kp"}');
    expect(await fetchText(page, '/kp-next/marker.json')).toBe('failed');
    await next.reload();
    await expect(next.getByText('hello.wasm', { exact: true })).toBeVisible();
    expect(await fetchText(next, 'marker.json')).toBe('{"copy":"kp-next"}');
    expect(await fetchText(next, '/kp/marker.json')).toBe('failed');

    // One cache per copy, named after its folder, holding only that folder's files.
    const cached = await next.evaluate(async () => {
      const out: Record<string, string[]> = {};
      for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
      return out;
    });
    expect(Object.keys(cached).sort()).toEqual(['kavach-playground v2 /kp-next/', 'kavach-playground v2 /kp/']);
    expect(cached['kavach-playground v2 /kp/']).toContain('/kp/marker.json');
    expect(cached['kavach-playground v2 /kp/'].filter((p) => !p.startsWith('/kp/'))).toEqual([]);
    expect(cached['kavach-playground v2 /kp-next/']).toContain('/kp-next/marker.json');
    expect(cached['kavach-playground v2 /kp-next/'].filter((p) => !p.startsWith('/kp-next/'))).toEqual([]);
  });
});
