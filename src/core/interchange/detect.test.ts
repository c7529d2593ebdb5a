import { describe, expect, it } from 'vitest';
import { loadDocument } from '../policy/load.ts';
import { encodeShareLink } from '../share/link.ts';
import { detectFormat, exportAs, importAny } from './index.ts';

const config = (() => {
  const loaded = loadDocument({ policy: { landlock_rules: [{ path: '/data', access: 'ro' }] }, args: ['x'], files: { '/data/a': 'a' } });
  if (!loaded.ok) throw new Error('fixture');
  return loaded.config;
})();

describe('the import box', () => {
  it('tells every format apart', async () => {
    const link = await encodeShareLink({ config, module: { kind: 'example', id: 'cat' } }, { baseUrl: 'https://kavach.example/' });
    if (!link.ok) throw new Error(link.message);
    const texts: [string, string][] = [
      [exportAs('kavach', config).text, 'kavach'],
      [exportAs('kavach-policy', config).text, 'kavach-policy'],
      [exportAs('playground', config).text, 'playground'],
      [exportAs('wasmtime', config).text, 'wasmtime'],
      [exportAs('extism', config).text, 'extism'],
      [exportAs('deno', config).text, 'deno'],
      [exportAs('node', config).text, 'node'],
      [link.url, 'share-link'],
      [`#${link.fragment}`, 'share-link'],
      [link.fragment, 'share-link'],
      ['{"timeout_ms": 5000}', 'kavach'],
      ['{"timeout_ms": 5000, "memory": {"max_pages": 10}}', 'extism'],
      ['{"seccomp_enabled": true}', 'kavach-policy'],
      ['  {"broken": ', 'playground'],
      ['~/.wasmtime/bin/wasmtime run m.wasm', 'wasmtime'],
    ];
    for (const [text, format] of texts) expect(detectFormat(text), text).toBe(format);
    for (const text of ['', '   ', 'hello world', 'cargo run', '[1, 2]', "'unterminated"]) expect(detectFormat(text), text).toBeNull();
  });

  it('imports a share link with its module reference', async () => {
    const link = await encodeShareLink({ config, module: { kind: 'example', id: 'cat' } });
    if (!link.ok) throw new Error(link.message);
    expect(await importAny(link.url)).toMatchObject({ ok: true, format: 'share-link', config, module: { kind: 'example', id: 'cat' } });
    expect(await importAny(`${link.url.slice(0, -5)}`)).toMatchObject({ ok: false, format: 'share-link', message: expect.stringMatching(/cut off or changed/) });
  });

  it('explains what it cannot import', async () => {
    expect(await importAny('deno run --allow-read=. main.ts')).toMatchObject({ ok: false, format: 'deno', message: expect.stringMatching(/analogy only and cannot be imported/) });
    expect(await importAny('hello')).toMatchObject({ ok: false, format: null, message: expect.stringMatching(/^not a format this playground reads; paste a kavach SandboxPolicy/) });
    expect(await importAny('{"policy": {"memory_limit_mb": -1}}')).toMatchObject({ ok: false, format: 'playground', issues: [{ path: 'policy.memory_limit_mb' }] });
  });

  it('labels the analogies in their text', () => {
    for (const format of ['deno', 'node'] as const) {
      const exported = exportAs(format, config);
      expect(exported.analogy).toBe(true);
      expect(exported.text).toMatch(/^# AN ANALOGY ONLY, not an equivalent/);
    }
    expect(exportAs('deno', config).text.split('\n').at(-1)).toBe('deno run --allow-read=./data main.ts');
    expect(exportAs('node', config).text.split('\n').at(-1)).toBe('node --permission --allow-fs-read=./data main.js');
  });
});
