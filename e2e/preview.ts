/**
 * A `vite preview` server of our own on a given port, for pages the playground's own server does
 * not serve (a harness page, the isolated build, a benchmark page). Used by specs and benchmarks.
 */
import { spawn } from 'node:child_process';

export interface Preview {
  url: string;
  stop(): void;
}

export async function startPreview(port: number, options: { config?: string; env?: Record<string, string> } = {}): Promise<Preview> {
  const args = ['vite', 'preview', ...(options.config ? ['--config', options.config] : []), '--port', String(port), '--strictPort', '--host', '127.0.0.1'];
  const server = spawn('npx', args, { stdio: 'ignore', detached: true, env: { ...process.env, ...options.env } });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (server.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
  };
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`${url} did not come up`);
}
