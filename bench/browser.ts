/** Build a Vite page, serve it with `vite preview`, and drive it in Debian's headless Chromium. */
import { spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { chromiumPath } from '../e2e/chromium.ts';
import { startPreview } from '../e2e/preview.ts';

const PORT = 4179;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function withChromiumPage<T>(viteConfig: string, body: (page: Page, version: string) => Promise<T>): Promise<T> {
  const build = spawnSync('npx', ['vite', 'build', '--config', viteConfig], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`vite build --config ${viteConfig} failed`);
  const server = await startPreview(PORT, { config: viteConfig });
  try {
    const browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: ARGS });
    try {
      const page = await browser.newPage({ baseURL: `http://127.0.0.1:${PORT}` });
      return await body(page, `Chromium ${browser.version()}`);
    } finally {
      await browser.close();
    }
  } finally {
    server.stop();
  }
}
