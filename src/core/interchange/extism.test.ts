import { describe, expect, it } from 'vitest';
import { loadDocument } from '../policy/load.ts';
import type { SandboxConfigInput } from '../policy/schema.ts';
import { seededRandom } from '../../testing/share/random-setup.ts';
import { exportExtism, importExtism } from './extism.ts';

function load(doc: SandboxConfigInput) {
  const loaded = loadDocument(doc);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

describe('Extism manifest', () => {
  it('writes allowed_paths with ro: for read-only mounts, memory.max_pages, timeout_ms and the module hash', () => {
    const config = load({ policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/out', access: 'rw' }], memory_limit_mb: 64 }, timeout_ms: 0 });
    const exported = exportExtism(config, { moduleName: 'plugin.wasm', sha256: 'ab'.repeat(32) });
    expect(JSON.parse(exported.text)).toEqual({
      wasm: [{ path: 'plugin.wasm', hash: 'ab'.repeat(32) }],
      memory: { max_pages: 1024 },
      allowed_paths: { 'ro:./data': '/data', './out': '/out' },
    });
    expect(exported.lossy).toEqual([]);
    expect(importExtism(exported.text)).toMatchObject({ ok: true, config, module: { kind: 'named', name: 'plugin.wasm', sha256: 'ab'.repeat(32) } });
  });

  it('lists env, arguments, stdin and the derived fuel as what a manifest cannot hold', () => {
    const exported = exportExtism(load({ env: [['A', '1']], args: ['x'], stdin: 'in', timeout_ms: 1000 }));
    expect(exported.lossy.map((l) => l.split(': ')[0])).toEqual(['fuel', 'env', 'args', 'stdin']);
    expect(JSON.parse(exported.text)).toEqual({ wasm: [{ path: 'module.wasm' }], timeout_ms: 1000 });
  });

  it('writes read_only_rootfs as ro: on every mount, and says so', () => {
    const exported = exportExtism(load({ policy: { landlock_rules: [{ path: '/out', access: 'rw' }], read_only_rootfs: true }, timeout_ms: 0 }));
    expect(JSON.parse(exported.text).allowed_paths).toEqual({ 'ro:./out': '/out' });
    expect(exported.lossy.map((l) => l.split(': ')[0])).toEqual(['policy.landlock_rules[0].access', 'policy.read_only_rootfs']);
  });

  it('maps the network policy to allowed_hosts ("*" for every host)', () => {
    expect(JSON.parse(exportExtism(load({ policy: { network: { enabled: true, allowed_hosts: [], allowed_ports: [] } } })).text).allowed_hosts).toEqual(['*']);
    const r = importExtism({ allowed_hosts: ['api.example.com'] });
    expect(r).toMatchObject({ ok: true, config: { policy: { network: { enabled: true, allowed_hosts: ['api.example.com'] } } } });
    expect(r.ok && r.warnings).toEqual(['allowed_hosts: kept in the network policy, but WASI preview1 here has no sockets: the module gets no network']);
  });

  it('reads manifests written by hand, warning about what it leaves out', () => {
    const r = importExtism({
      wasm: [{ url: 'https://example.com/plugin.wasm', hash: 'AB'.repeat(32) }, { path: 'lib.wasm' }],
      memory: { max_pages: 100 },
      allowed_paths: { '/host/data': 'data' },
      config: { key: 'value' },
      timeout_ms: 250,
      allow_everything: true,
    });
    expect(r).toMatchObject({
      ok: true,
      config: { timeout_ms: 250, policy: { memory_limit_mb: 6, landlock_rules: [{ path: 'data', access: 'rw' }] } },
      module: { kind: 'named', name: 'plugin.wasm', path: 'https://example.com/plugin.wasm', sha256: 'ab'.repeat(32) },
    });
    expect(r.ok && r.warnings).toEqual([
      'allow_everything: not an Extism manifest field this playground reads; ignored',
      'memory.max_pages: 100 pages is not whole MiB; capped at 6 MiB (96 pages)',
      'config: Extism plugin settings are not environment variables; not imported',
      'wasm: 2 modules; only the first is named as the module',
      'policy.landlock_rules[0].path: "data" is relative: mounted at /data, where WASI programs look for it (kavach mounts the directory of that name in its working directory, under the guest name "data")',
    ]);
  });

  it('names the field that is wrong', () => {
    expect(importExtism({ memory: { max_pages: 'lots' } })).toMatchObject({ ok: false, issues: [{ path: 'memory.max_pages' }] });
    expect(importExtism({ wasm: [{ name: 'x' }] })).toMatchObject({ ok: false, issues: [{ path: 'wasm[0]' }] });
    expect(importExtism('{"wasm": [')).toMatchObject({ ok: false, message: expect.stringMatching(/^not valid JSON/) });
  });

  it('round-trips exactly every setup made only of what a manifest can say', () => {
    const random = seededRandom(9);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    for (let n = 0; n < 200; n++) {
      const config = load({
        policy: {
          landlock_rules: [...new Set(Array.from({ length: Math.floor(random() * 4) }, () => pick(['/data', '/out', '/a b', '/'])))].map((path) => ({ path, access: pick(['ro', 'rw']) })),
          memory_limit_mb: pick([null, 1, 256, 4096]),
          network: pick([{ enabled: false, allowed_hosts: [], allowed_ports: [] }, { enabled: true, allowed_hosts: ['example.com', '*.example.org'], allowed_ports: [] }, { enabled: true, allowed_hosts: [], allowed_ports: [] }]),
        },
        timeout_ms: 0,
      });
      const exported = exportExtism(config);
      expect(exported.lossy).toEqual([]);
      const back = importExtism(exported.text);
      expect(back.ok && back.config).toEqual(config);
    }
  });
});
