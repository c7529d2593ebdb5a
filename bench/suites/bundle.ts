/**
 * The page's initial JavaScript: what index.html loads before anything is lazily imported.
 * Target (issue 14): at most 150 KB gzip, with no editor code in it: Monaco comes only when an
 * editor is opened or about to be.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Suite } from '../types.ts';

const dist = new URL('../../dist/', import.meta.url);

/** Monaco and the page's glue around it (vite.config.ts puts them in editor-[hash].js). */
const EDITOR_SOURCE = /node_modules\/(monaco-editor|@monaco-editor)\/|src\/ui\/monaco-/;

/**
 * Whether a built file holds editor code, by the sources its source map names. The files without
 * a map are the bundler's own (its preload helper, chunks that only re-export another).
 */
function holdsEditorCode(file: string): boolean {
  const map = new URL(`${file}.map`, dist);
  if (!existsSync(map)) return false;
  const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  return sources.some((s) => EDITOR_SOURCE.test(s));
}

export const run: Suite = async () => {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const html = readFileSync(new URL('index.html', dist), 'utf8');
  const initial = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  if (initial.length === 0) throw new Error('no script found in dist/index.html');
  const gz = (file: string) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length / 1024;
  const sum = (files: string[]) => files.reduce((n, f) => n + gz(f), 0);
  const initialKb = sum(initial);
  const initialEditorKb = sum(initial.filter(holdsEditorCode));
  const all = readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  const allKb = sum(all);
  const editorKb = sum(all.filter(holdsEditorCode));
  return [{
    title: 'Page size',
    runtime: 'vite build (production)',
    figures: [
      { name: `initial JavaScript (${initial.length} file(s) index.html loads)`, value: initialKb, unit: 'KB', target: '<= 150 gzip (issue 14)', ok: initialKb <= 150 },
      { name: 'editor code (Monaco) in the initial JavaScript', value: initialEditorKb, unit: 'KB', target: '0 (issue 14)', ok: initialEditorKb === 0 },
      { name: 'the editor, fetched when one is opened or about to be', value: editorKb, unit: 'KB', note: 'gzip, with its workers' },
      { name: `all JavaScript, including lazily loaded chunks (${all.length} files)`, value: allKb, unit: 'KB', note: 'gzip' },
      { name: 'initial share of all JavaScript', value: (initialKb / allKb) * 100, unit: '%' },
    ],
  }];
};
