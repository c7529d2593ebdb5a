/**
 * Round trips through every importable format: what the format can express comes back unchanged,
 * and every field that comes back different is named in the export's lossy list.
 */
import { describe, expect, it } from 'vitest';
import { formatPath, loadDocument } from '../policy/load.ts';
import type { SandboxConfig } from '../policy/schema.ts';
import { resolveSecrets, SecretStore } from '../secrets/index.ts';
import { isPlainObject } from '../share/document.ts';
import { randomConfig, seededRandom } from '../../testing/share/random-setup.ts';
import { EXPORT_FORMATS, exportAs, importAny, type ExportFormat } from './index.ts';
import { PLAYGROUND_EXTENSIONS } from './kavach.ts';
import { ALL_FIELDS } from './lossy.ts';

const IMPORTABLE: readonly ExportFormat[] = ['kavach', 'kavach-policy', 'wasmtime', 'extism', 'playground'];

/** Paths (as formatPath writes them) where two values differ; a list of another length differs as a whole. */
function differences(a: unknown, b: unknown, path: PropertyKey[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [formatPath(path)];
    return a.flatMap((x, i) => differences(x, b[i], [...path, i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences(a[k], b[k], [...path, k]));
  }
  return Object.is(a, b) ? [] : [formatPath(path)];
}

const lossyPath = (item: string) => item.slice(0, item.indexOf(': '));
const covers = (lossy: string, path: string) => path === lossy || path.startsWith(`${lossy}.`) || path.startsWith(`${lossy}[`);

function configs(seed: number, count: number): SandboxConfig[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const loaded = loadDocument(randomConfig(random));
    if (!loaded.ok) throw new Error(`fixture does not load: ${JSON.stringify(loaded.errors)}`);
    return loaded.config;
  });
}

describe('round trips', () => {
  for (const format of IMPORTABLE) {
    it(`${format}: gives back what it can express and lists everything else`, async () => {
      for (const config of configs(11, 250)) {
        const exported = exportAs(format, config, { moduleName: 'prog.wasm' });
        const imported = await importAny(exported.text);
        expect(imported.ok, `${exported.text}\n${imported.ok ? '' : imported.message}`).toBe(true);
        if (!imported.ok) return;
        const changed = differences(config, imported.config);
        const silent = changed.filter((path) => !exported.lossy.some((item) => covers(lossyPath(item), path)));
        expect(silent, `${format} changed ${silent.join(', ')} without saying so\n${exported.text}\nlossy: ${exported.lossy.join('\n')}`).toEqual([]);
        if (exported.lossy.length === 0) expect(imported.config).toEqual(config);
      }
    });
  }

  it('the playground document is lossless, and kavach loses only the playground extensions', () => {
    for (const config of configs(12, 100)) {
      expect(exportAs('playground', config).lossy).toEqual([]);
      const kavachLoss = exportAs('kavach', config).lossy.map(lossyPath);
      expect(kavachLoss.every((p) => PLAYGROUND_EXTENSIONS.includes(p)), kavachLoss.join()).toBe(true);
    }
  });

  it('names a real field at the head of every lossy item, for every format', () => {
    for (const config of configs(13, 100)) {
      for (const format of EXPORT_FORMATS) {
        for (const item of exportAs(format, config).lossy) {
          const path = lossyPath(item);
          expect(ALL_FIELDS.some((f) => covers(f, path)), `${format}: ${item}`).toBe(true);
        }
      }
    }
  });

  it('a setup every format can express exactly comes back unchanged from each', async () => {
    const config = loadDocument({ policy: { landlock_rules: [{ path: '/out', access: 'rw' }], memory_limit_mb: 64 }, timeout_ms: 0 });
    if (!config.ok) throw new Error('fixture');
    for (const format of IMPORTABLE.filter((f) => f !== 'kavach-policy')) {
      const exported = exportAs(format, config.config);
      expect(exported.lossy, format).toEqual([]);
      const back = await importAny(exported.text);
      expect(back.ok && back.config, format).toEqual(config.config);
    }
  });

  it('never writes a secret value into any export, whatever the injection method', () => {
    const store = new SecretStore();
    const document = {
      policy: { landlock_rules: [{ path: '/secrets', access: 'ro' }] },
      secrets: [
        { name: 'ENV_SECRET', inject_via: { EnvVar: { var_name: 'API_KEY' } } },
        { name: 'FILE_SECRET', inject_via: { File: { path: '/secrets/key', mode: 0o400 } } },
        { name: 'STDIN_SECRET', inject_via: 'Stdin' as const },
      ],
    };
    const loaded = loadDocument(document);
    if (!loaded.ok) throw new Error('fixture');
    const values = ['env-V4lue-7c1d', 'file-V4lue-93ab', 'stdin-V4lue-5e02'];
    store.register('ENV_SECRET', values[0]);
    store.register('FILE_SECRET', values[1]);
    store.register('STDIN_SECRET', values[2]);
    expect(JSON.stringify(resolveSecrets(loaded.config, store), (_k, v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v))).toContain(values[1]);
    for (const format of EXPORT_FORMATS) {
      const exported = exportAs(format, loaded.config);
      for (const value of values) expect(exported.text + exported.lossy.join('\n'), format).not.toContain(value);
    }
  });
});
