/**
 * src/testing/ holds what only tests, fuzz targets and benchmarks use (fixtures, fake IO, random
 * setups, module generators): no file that ships may import it, so neither the page's bundle nor
 * the CLI's can take it in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..');
const TESTING = resolve(SRC, 'testing');
/** Files that run only under vitest or the fuzzer. */
const TEST_ONLY = /\.(test|fuzz)\.tsx?$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === TESTING ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !TEST_ONLY.test(e.name) ? [path] : [];
  });
}

describe('test-only code', () => {
  it('is imported by no file that ships', () => {
    const offenders = sources(SRC).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)]
        .map((m) => resolve(dirname(file), m[1]))
        .filter((target) => target.startsWith(TESTING + '/'))
        .map((target) => `${relative(SRC, file)} imports ${relative(SRC, target)}`);
    });
    expect(offenders).toEqual([]);
  });
});
