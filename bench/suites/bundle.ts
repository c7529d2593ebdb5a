/**
 * The page's initial JavaScript: what index.html loads before anything is lazily imported
 * (Monaco and other heavy parts must not be in it). Target: at most 250 KB gzip.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Suite } from '../types.ts';

const dist = new URL('../../dist/', import.meta.url);

export const run: Suite = async () => {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const html = readFileSync(new URL('index.html', dist), 'utf8');
  const initial = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  if (initial.length === 0) throw new Error('no script found in dist/index.html');
  const gz = (file: string) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length / 1024;
  const initialKb = initial.reduce((n, f) => n + gz(f), 0);
  const all = readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js'));
  const allKb = all.reduce((n, f) => n + gz(`assets/${f}`), 0);
  return [{
    title: 'Page size',
    runtime: 'vite build (production)',
    figures: [
      { name: `initial JavaScript (${initial.length} file(s) index.html loads)`, value: initialKb, unit: 'KB', target: '<= 250 gzip', ok: initialKb <= 250 },
      { name: `all JavaScript, including lazily loaded chunks (${all.length} files)`, value: allKb, unit: 'KB', note: 'gzip' },
      { name: 'initial share of all JavaScript', value: (initialKb / allKb) * 100, unit: '%' },
    ],
  }];
};
