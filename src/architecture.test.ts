/**
 * The layering, read from the import statements of every file that ships (tests, fuzz targets and
 * src/testing may reach anywhere): the engine (src/core) knows nothing above it; the lessons, the
 * page and the CLI reach it only through its doors, src/core/index.ts (both), browser.ts (the
 * page's workers) and node.ts (the CLI's); and nothing the page loads through its doors needs Node.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
const TEST_ONLY = /\.(test|fuzz)\.tsx?$/;
const UI_LIBRARIES = /^(react|react-dom|zustand|monaco-editor|@monaco-editor\/react)(\/|$)/;
const NODE_BUILTIN = new Set(builtinModules);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(SRC, 'testing') ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !TEST_ONLY.test(e.name) ? [path] : [];
  });
}

/** Every module a file imports (static, dynamic, type-only, re-exports): a path for a relative one, else the name. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(({ fileName }) =>
    fileName.startsWith('.') ? resolve(dirname(file), fileName) : fileName);
}

const at = (...parts: string[]) => join(SRC, ...parts);
const inside = (path: string, folder: string) => path.startsWith(at(folder) + '/');
const shown = (path: string) => (path.startsWith('/') ? relative(SRC, path) : path);

/** `file imports target` for each import of a file under `folder` that `allowed` refuses. */
function violations(folder: string, allowed: (target: string) => boolean): string[] {
  return sources(at(folder)).flatMap((file) => importsOf(file).filter((target) => !allowed(target)).map((target) => `${shown(file)} imports ${shown(target)}`));
}

/** The Node-only modules reachable from a file through relative imports, with the chain that reaches each. */
function nodeOnlyReachable(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const target of importsOf(file)) {
      if (target.startsWith('/')) visit(target, [...chain, shown(target)]);
      else if (target.startsWith('node:') || NODE_BUILTIN.has(target)) found.push(`${chain.join(' -> ')} -> ${target}`);
    }
  };
  visit(entry, [shown(entry)]);
  return found;
}

const DOORS = { index: at('core', 'index.ts'), browser: at('core', 'browser.ts'), node: at('core', 'node.ts'), lessons: at('lessons', 'index.ts') };

describe('the layering', () => {
  it('the engine imports nothing above it and no UI library', () => {
    expect(violations('core', (t) => !['ui', 'cli', 'lessons'].some((f) => inside(t, f)) && !UI_LIBRARIES.test(t))).toEqual([]);
  });

  it('the lessons reach the engine only through src/core/index.ts, and nothing above them', () => {
    expect(violations('lessons', (t) => (inside(t, 'core') ? t === DOORS.index : !['ui', 'cli'].some((f) => inside(t, f)) && !UI_LIBRARIES.test(t)))).toEqual([]);
  });

  it('the page reaches the engine only through src/core/index.ts and browser.ts, the lessons through their index, and never the CLI', () => {
    expect(violations('ui', (t) => {
      if (inside(t, 'core')) return t === DOORS.index || t === DOORS.browser;
      if (inside(t, 'lessons')) return t === DOORS.lessons;
      return !inside(t, 'cli');
    })).toEqual([]);
  });

  it('the CLI reaches the engine only through src/core/index.ts and node.ts, and never the page or the lessons', () => {
    expect(violations('cli', (t) => (inside(t, 'core') ? t === DOORS.index || t === DOORS.node : !['ui', 'lessons'].some((f) => inside(t, f))))).toEqual([]);
  });

  it('nothing the page loads through its doors needs Node', () => {
    expect(nodeOnlyReachable(DOORS.index)).toEqual([]);
    expect(nodeOnlyReachable(DOORS.browser)).toEqual([]);
    expect(nodeOnlyReachable(DOORS.lessons)).toEqual([]);
  });

  it('the checks see the imports they judge', () => {
    // A check that read no imports would pass on anything.
    expect(nodeOnlyReachable(DOORS.node).some((chain) => chain.endsWith('-> node:worker_threads'))).toBe(true);
    expect(importsOf(at('ui', 'engine.ts'))).toContain(DOORS.browser);
  });
});
