import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../index.ts';
import { EXAMPLES } from './index.ts';

describe('examples catalog', () => {
  it('covers every bundled module, once', () => {
    const modules = readdirSync('public/examples').filter((f) => f.endsWith('.wasm')).map((f) => f.slice(0, -5)).sort();
    expect(EXAMPLES.map((e) => e.id).sort()).toEqual(modules);
  });

  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s: policy loads, files exist', (_id, example) => {
    const loaded = loadDocument(example.policy);
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    expect(existsSync(`public/${example.wasm}`)).toBe(true);
    expect(existsSync(example.source)).toBe(true);
  });
});
