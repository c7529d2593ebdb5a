import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../policy/load.ts';
import { deflateRaw, fromBase64Url, inflateRaw } from './bytes.ts';
import { canonicalJson } from './document.ts';
import type { LinkFormat } from './format.ts';
import {
  decodeShareLink, encodeShareLink, INLINE_MODULE_MAX_BYTES, MAX_PAYLOAD_BYTES, moduleRefFor,
  SHARE_LINK_WARN_CHARS, verifyModule, type ModuleRef, type ShareSetup,
} from './index.ts';
import { decodeWith, encodeWith, seal, sealCompressed } from './link.ts';
import { randomConfig, seededRandom } from '../../testing/share/random-setup.ts';
import { defaultFlags } from '../compile/flags.ts';
import { COMPILER_ID, WAT_COMPILER_ID } from '../compile/toolchain.ts';
import { LINK_SOURCE_MAX_BYTES, splitFragment } from './index.ts';

const HELLO_C = '#include <stdio.h>\n\nint main(void) {\n  puts("Hello from a link");\n  return 0;\n}\n';

const hello = new Uint8Array(readFileSync(new URL('../../../public/examples/hello.wasm', import.meta.url)));
const fsTour = new Uint8Array(readFileSync(new URL('../../../public/examples/fs_tour.wasm', import.meta.url)));
const BASE = 'https://kavach.example/playground/';
const TWO_MOUNTS = {
  policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/out', access: 'rw' }] },
  files: { '/data/input.txt': 'first line of input.txt\nsecond line\n', '/data/docs/readme.md': '# Mounted docs\n' },
};

async function encoded(setup: ShareSetup, options = {}) {
  const r = await encodeShareLink(setup, options);
  if (!r.ok) throw new Error(r.message);
  return r;
}

async function decoded(link: string) {
  const r = await decodeShareLink(link);
  if (!r.ok) throw new Error(`${r.kind}: ${r.message}`);
  return r;
}

/** A link whose payload is `text` (and optional tail), compressed and checksummed correctly. */
async function forged(text: string, version = 2): Promise<string> {
  return seal(version, new TextEncoder().encode(text));
}

describe('share links restore the whole setup', () => {
  it('round-trips hundreds of random setups with every kind of module reference', async () => {
    const random = seededRandom(7);
    const modules: (ModuleRef | null)[] = [
      null,
      { kind: 'example', id: 'hello' },
      await moduleRefFor('hello.wasm', hello),
      await moduleRefFor('fs_tour.wasm', fsTour),
      { kind: 'source', name: 'main.c', text: HELLO_C, flags: defaultFlags('c'), compiler: COMPILER_ID, exampleId: null },
      { kind: 'source', name: 'ro_attack.c', text: '/* ünïcødé ✓ */\nint main(void) { return 0; }\n', flags: { ...defaultFlags('c', '-O0'), extra: ['-Wl,--stack-first'] }, compiler: 'clang 1.0 (elsewhere)', exampleId: 'ro_attack' },
      { kind: 'source', name: 'empty.wat', text: '', flags: defaultFlags('wat'), compiler: WAT_COMPILER_ID, exampleId: null },
    ];
    for (let i = 0; i < 300; i++) {
      const document = randomConfig(random);
      const loaded = loadDocument(document);
      expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
      if (!loaded.ok) return;
      const module = modules[i % modules.length];
      const link = await encoded({ config: document, module });
      const back = await decoded(link.url);
      expect(back.setup.config).toEqual(loaded.config);
      expect(back.setup.module).toEqual(module);
      expect(loadDocument(back.setup.document)).toMatchObject({ ok: true, config: loaded.config });
      expect(back.version).toBe(2);
    }
  });

  it('gives equal setups equal links, however the document spells them', async () => {
    const a = await encoded({ config: { env: { A: '1', B: '2' }, backend: 'WASM', policy: { landlock_rules: [{ path: '/d', access: 'ro' }] }, files: { '/d/y': 'y', '/d/x': 'x' } }, module: null });
    const b = await encoded({
      config: {
        files: { '/d/x': 'x', '/d/y': 'y' },
        policy: { network: { enabled: false, allowed_hosts: [], allowed_ports: [] }, landlock_rules: [{ access: 'ro', path: '/d' }], seccomp_enabled: false },
        env: [['A', '1'], ['B', '2']], timeout_ms: 10_000, stdin: null,
      },
      module: null,
    });
    expect(a.fragment).toBe(b.fragment);
    const c = await encoded({ config: { env: { A: '1', B: '3' } }, module: null });
    expect(c.fragment).not.toBe(a.fragment);
  });

  it('accepts the fragment alone, with "#", or inside the whole address', async () => {
    const link = await encoded({ config: { args: ['x'] }, module: null }, { baseUrl: `${BASE}#old-state` });
    expect(link.url).toBe(`${BASE}#${link.fragment}`);
    for (const form of [link.url, `#${link.fragment}`, link.fragment, ` ${link.url}\n`]) {
      expect((await decoded(form)).setup.config.args).toEqual(['x']);
    }
  });

  it('keeps typical links short: defaults, an example, a module by hash, two mounts with small files', async () => {
    const lengths = {
      defaults: (await encoded({ config: {}, module: null })).fragment.length,
      helloExample: (await encoded({ config: { timeout_ms: 5000 }, module: { kind: 'example', id: 'hello' } })).fragment.length,
      helloByHash: (await encoded({ config: {}, module: await moduleRefFor('hello.wasm', hello, { inline: false }) })).fragment.length,
      helloInline: (await encoded({ config: {}, module: await moduleRefFor('hello.wasm', hello) })).fragment.length,
      twoMounts: (await encoded({ config: TWO_MOUNTS, module: await moduleRefFor('fs_tour.wasm', fsTour) })).fragment.length,
    };
    expect(lengths.defaults).toBeLessThan(60);
    expect(lengths.helloExample).toBeLessThan(120);
    expect(lengths.helloByHash).toBeLessThan(220);
    expect(lengths.twoMounts).toBeLessThan(400);
    expect(lengths.helloInline).toBeLessThan(2200);
  });

  it('warns past ~2,000 characters and can leave the mount files out', async () => {
    const random = seededRandom(3);
    const noisy = Array.from({ length: 3000 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('');
    const setup = { config: { ...TWO_MOUNTS, files: { ...TWO_MOUNTS.files, '/data/big.txt': noisy } }, module: null };
    const long = await encoded(setup, { baseUrl: BASE });
    expect(long.tooLong).toBe(true);
    expect(long.length).toBeGreaterThan(SHARE_LINK_WARN_CHARS);
    expect(long.files).toEqual(['/data/input.txt', '/data/docs/readme.md', '/data/big.txt']);
    const short = await encoded(setup, { baseUrl: BASE, omitFiles: true });
    expect(short).toMatchObject({ tooLong: false, files: [], omittedFiles: ['/data/input.txt', '/data/docs/readme.md', '/data/big.txt'] });
    const back = await decoded(short.url);
    expect(back.setup.config.files).toEqual({});
    expect(back.setup.config.policy.landlock_rules).toHaveLength(2);
  });

  it('refuses to encode a setup that does not load or is too big, saying why', async () => {
    const bad = await encodeShareLink({ config: { policy: { memory_limit_mb: -1 } }, module: null });
    expect(bad).toMatchObject({ ok: false, kind: 'invalid_setup', issues: [{ path: 'policy.memory_limit_mb' }] });
    const huge = await encodeShareLink({ config: { policy: { landlock_rules: [{ path: '/d', access: 'ro' }] }, files: { '/d/x': 'a'.repeat(MAX_PAYLOAD_BYTES) } }, module: null });
    expect(huge).toMatchObject({ ok: false, kind: 'too_big' });
    expect(!huge.ok && huge.message).toMatch(/more than a link can carry \(1 MiB\): leave out the mount files/);
    const badName = await encodeShareLink({ config: {}, module: { kind: 'hash', name: '../<x>.wasm', size: 10, sha256: 'a'.repeat(64) } });
    expect(badName).toMatchObject({ ok: false, kind: 'invalid_setup', issues: [{ path: 'module.name' }] });
  });
});

describe('module references', () => {
  it(`inline only up to ${INLINE_MODULE_MAX_BYTES} bytes; bigger goes by hash; examples by id`, async () => {
    expect(await moduleRefFor('hello.wasm', hello)).toEqual({ kind: 'inline', name: 'hello.wasm', bytes: hello });
    expect(await moduleRefFor('fs_tour.wasm', fsTour)).toMatchObject({ kind: 'hash', name: 'fs_tour.wasm', size: fsTour.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await moduleRefFor('hello.wasm', hello, { exampleId: 'hello' })).toEqual({ kind: 'example', id: 'hello' });
    const tooBig = await encodeShareLink({ config: {}, module: { kind: 'inline', name: 'x.wasm', bytes: new Uint8Array(INLINE_MODULE_MAX_BYTES + 1) } });
    expect(tooBig).toMatchObject({ ok: false, kind: 'invalid_setup', issues: [{ path: 'module.size' }] });
  });

  it('accepts the same file and refuses a different one, showing both hashes', async () => {
    const ref = await moduleRefFor('fs_tour.wasm', fsTour);
    if (ref.kind !== 'hash') throw new Error('expected a hash reference');
    expect(await verifyModule(ref, fsTour.slice())).toEqual({ ok: true });
    const check = await verifyModule(ref, hello, 'hello.wasm');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.expected.sha256).toBe(ref.sha256);
    expect(check.actual.sha256).not.toBe(ref.sha256);
    expect(check.message).toContain(ref.sha256);
    expect(check.message).toContain(check.actual.sha256);
    expect(check.message).toMatch(/^this link expects fs_tour\.wasm \(33,378 bytes, sha256 [0-9a-f]{64}\); the chosen file hello\.wasm \(3,203 bytes\) has sha256 [0-9a-f]{64}: it is a different module/);
  });
});

function sourceRef(size: number, flags: object = {}, example = 'null'): string {
  return `{"compiler":"x","example":${example},"flags":${JSON.stringify({ ...defaultFlags('c'), ...flags })},"kind":"source","name":"m.c","size":${size}}`;
}

function concat(text: string, tail: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(text);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

describe('bad links give a clear error and nothing else', () => {
  const cases: [string, () => Promise<string>, string, RegExp][] = [
    ['no fragment', async () => BASE, 'empty', /no share link/],
    ['not a link', async () => `${BASE}#section-2`, 'not_a_link', /not a Kavach Playground share link: the part after "#" should start with "v2\."/],
    ['a newer version', async () => (await encoded({ config: {}, module: null })).fragment.replace(/^v2/, 'v3'), 'unsupported_version', /newer version of Kavach Playground \(link format v3; this page reads up to v2\): reload/],
    ['version 0', async () => 'v0.AAAA', 'unsupported_version', /v0 does not exist/],
    ['not base64', async () => 'v1.abc$def', 'bad_characters', /"\$" at position 7 after "#"/],
    ['percent-encoded', async () => `v1.ab%2Bcd`, 'bad_characters', /"%"/],
    ['truncated', async () => (await encoded({ config: TWO_MOUNTS, module: null })).fragment.slice(0, -7), 'damaged', /cut off or changed when it was copied/],
    ['a flipped character', async () => {
      const f = (await encoded({ config: TWO_MOUNTS, module: null })).fragment;
      return f.slice(0, 20) + (f[20] === 'A' ? 'B' : 'A') + f.slice(21);
    }, 'damaged', /checksum does not match/],
    ['too short', async () => 'v1.AAA', 'damaged', /too short/],
    ['absurdly long', async () => `v1.${'A'.repeat(3 * 1024 * 1024)}`, 'too_long', /longer than any share link/],
    ['a decompression bomb', async () => sealCompressed(1, await deflateRaw(new Uint8Array(64 * 1024 * 1024))), 'too_big', /unpacks to more than 1 MiB/],
    ['garbage that passes the checksum', async () => sealCompressed(1, Uint8Array.of(0xff, 0xfe, 0xfd, 0x00, 0x01)), 'bad_data', /not valid compressed data/],
    ['not JSON', async () => forged('{"doc": {'), 'bad_data', /not valid JSON/],
    ['not UTF-8', async () => seal(1, Uint8Array.of(0x7b, 0xff, 0x7d)), 'bad_data', /not valid JSON text/],
    ['an unknown envelope field', async () => forged('{"doc":{},"module":null,"run":true}'), 'invalid_setup', /unknown field "run"/],
    ['an invalid policy field', async () => forged('{"doc":{"policy":{"memory_limit_mb":-5}},"module":null}'), 'invalid_setup', /policy\.memory_limit_mb: expected a memory limit in MiB/],
    ['a file outside every mount', async () => forged('{"doc":{"files":{"/etc/passwd":"x"}},"module":null}'), 'invalid_setup', /files\["\/etc\/passwd"\]: \/etc\/passwd is not inside any mount/],
    ['a script-like module name', async () => forged('{"doc":{},"module":{"kind":"hash","name":"<script>alert(1)</script>.wasm","sha256":"' + 'a'.repeat(64) + '","size":100}}'), 'invalid_setup', /module\.name: expected a plain file name/],
    ['a javascript: example id', async () => forged('{"doc":{},"module":{"kind":"example","id":"javascript:alert(1)"}}'), 'invalid_setup', /module\.id: expected an example id/],
    ['an unknown example', async () => forged('{"doc":{},"module":{"kind":"example","id":"no_such_example"}}'), 'invalid_setup', /names the example "no_such_example", which this version of the playground does not have/],
    ['a bad hash', async () => forged('{"doc":{},"module":{"kind":"hash","name":"m.wasm","sha256":"XYZ","size":100}}'), 'invalid_setup', /module\.sha256: expected a SHA-256/],
    ['an inline module of the wrong length', async () => {
      const bytes = new TextEncoder().encode('{"doc":{},"module":{"kind":"inline","name":"m.wasm","size":100}}\n\0asm\x01\0\0\0');
      return seal(1, bytes);
    }, 'damaged', /inline module is 8 bytes but should be 100/],
    ['bytes after the setup', async () => forged('{"doc":{},"module":null}\nextra'), 'bad_data', /data after its setup/],
    ['a source of the wrong length', async () => forged(`{"doc":{},"module":${sourceRef(100)}}\nint main;`), 'damaged', /source is 9 bytes but should be 100/],
    ['a source that is not UTF-8', async () => seal(2, concat(`{"doc":{},"module":${sourceRef(2)}}\n`, Uint8Array.of(0xff, 0xfe))), 'bad_data', /source is not UTF-8 text/],
    ['a source with a flag that names another output', async () => forged(`{"doc":{},"module":${sourceRef(1, { extra: ['-o/etc/passwd'] })}}\nx`), 'invalid_setup', /module\.flags\.extra\[0\]: expected a warning/],
    ['a source larger than a link carries', async () => forged(`{"doc":{},"module":${sourceRef(LINK_SOURCE_MAX_BYTES + 1)}}\n${'x'.repeat(LINK_SOURCE_MAX_BYTES + 1)}`), 'invalid_setup', /module\.size: expected a source of at most 65536 bytes/],
    ['a source that edits an unknown example', async () => forged(`{"doc":{},"module":${sourceRef(1, {}, '"no_such_example"')}}\nx`), 'invalid_setup', /edit of the example "no_such_example"/],
    ['a v1 link that carries a source', async () => forged(`{"doc":{},"module":${sourceRef(1)}}\nx`, 1), 'unsupported_version', /this v1 link could not be brought up to v2: a v1 link's module is a hash, inline bytes or an example, not "source"/],
  ];
  for (const [name, make, kind, message] of cases) {
    it(name, async () => {
      const r = await decodeShareLink(await make());
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.kind).toBe(kind);
      expect(r.message).toMatch(message);
    });
  }

  it('stops reading a bomb at the cap instead of inflating it all', async () => {
    const bomb = await deflateRaw(new Uint8Array(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    const r = await inflateRaw(bomb, MAX_PAYLOAD_BYTES);
    expect(r).toEqual({ ok: false, reason: 'too_big' });
  });

  it('keeps script-like strings as inert text in a valid setup', async () => {
    const script = '<script>alert(1)</script>';
    const link = await encoded({ config: { args: [script], env: [['X', '"><img src=x onerror=alert(1)>']], stdin: 'javascript:alert(1)' }, module: null });
    const back = await decoded(link.url);
    expect(back.setup.config.args).toEqual([script]);
    expect(link.fragment).toMatch(/^v2\.[A-Za-z0-9_-]+$/);
  });

  it('cannot be made to pollute prototypes', async () => {
    const r = await decodeShareLink(await forged('{"doc":{"__proto__":{"polluted":true},"env":{"__proto__":"x"}},"module":null}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (r.ok) expect(Object.getPrototypeOf(r.setup.config)).toBe(Object.prototype);
  });
});

describe('format versions', () => {
  it('brings an older link up to date through the migration chain', async () => {
    // Pretend the current format is v2, whose documents call "args" "argv"; v1 links migrate.
    const v2: LinkFormat = {
      version: 2,
      migrations: new Map([[1, (older: unknown) => {
        const e = older as { doc: Record<string, unknown>; module: unknown };
        return { ...e, doc: { ...e.doc, args: [...(e.doc.args as string[]), 'migrated'] } };
      }]]),
    };
    const v1Link = await encodeWith({ config: { args: ['a'] }, module: null }, {}, { version: 1, migrations: new Map() });
    if (!v1Link.ok) throw new Error(v1Link.message);
    const r = await decodeWith(v1Link.fragment, v2);
    expect(r).toMatchObject({ ok: true, version: 1 });
    expect(r.ok && r.setup.config.args).toEqual(['a', 'migrated']);
    const v2Link = await encodeWith({ config: { args: ['b'] }, module: null }, {}, v2);
    expect(v2Link.ok && v2Link.fragment.startsWith('v2.')).toBe(true);
    const noPath: LinkFormat = { version: 3, migrations: new Map() };
    const old = await decodeWith(v1Link.fragment, noPath);
    expect(old).toMatchObject({ ok: false, kind: 'unsupported_version' });
    expect(!old.ok && old.message).toMatch(/link format v1 is not one this page can read \(it reads v3\)/);
    const failing: LinkFormat = { version: 2, migrations: new Map([[1, () => { throw new Error('no args field'); }]]) };
    expect(await decodeWith(v1Link.fragment, failing)).toMatchObject({ ok: false, kind: 'unsupported_version', message: expect.stringMatching(/could not be brought up to v2: no args field/) });
  });

  it('opens the links v1 made: the same setup, module and policy, now as v2', async () => {
    // Made by the page before sources could be shared (format v1, the commit before v2).
    const v1 = { version: 1, migrations: new Map() } satisfies LinkFormat;
    for (const module of [null, { kind: 'example', id: 'cat' } as const, await moduleRefFor('hello.wasm', hello), await moduleRefFor('fs_tour.wasm', fsTour)]) {
      const old = await encodeWith({ config: TWO_MOUNTS, module }, { baseUrl: BASE }, v1);
      if (!old.ok) throw new Error(old.message);
      expect(old.fragment.startsWith('v1.')).toBe(true);
      const back = await decoded(old.url);
      expect(back.version).toBe(1);
      expect(back.setup.module).toEqual(module);
      expect(back.setup.config).toEqual((await decoded((await encoded({ config: TWO_MOUNTS, module })).url)).setup.config);
    }
  });

  it('payload v2 carries a source as an inline module is carried: JSON, a newline, its UTF-8 bytes', async () => {
    const link = await encoded({ config: {}, module: { kind: 'source', name: 'main.c', text: HELLO_C, flags: defaultFlags('c'), compiler: COMPILER_ID, exampleId: 'hello' } });
    const sealed = fromBase64Url(link.fragment.slice(3));
    if (!sealed.ok) throw new Error('not base64url');
    const inflated = await inflateRaw(sealed.bytes.subarray(0, -4), MAX_PAYLOAD_BYTES);
    if (!inflated.ok) throw new Error('does not inflate');
    const newline = inflated.bytes.indexOf(0x0a);
    expect(new TextDecoder().decode(inflated.bytes.subarray(0, newline))).toBe(
      `{"doc":{},"module":{"compiler":"${COMPILER_ID}","example":"hello","flags":{"extra":["-Wall"],"language":"c","optimization":"-O2","standard":"gnu17"},"kind":"source","name":"main.c","size":${HELLO_C.length}}}`,
    );
    expect(new TextDecoder().decode(inflated.bytes.subarray(newline + 1))).toBe(HELLO_C);
  });

  it('says a source is too big for a link instead of making one', async () => {
    const text = `int main(void) { return 0; }\n${'// filler\n'.repeat(LINK_SOURCE_MAX_BYTES / 10)}`;
    const r = await encodeShareLink({ config: {}, module: { kind: 'source', name: 'big.c', text, flags: defaultFlags('c'), compiler: COMPILER_ID, exampleId: null } });
    expect(r).toMatchObject({ ok: false, kind: 'too_big', message: 'the source is 65 KiB, more than a link carries (64 KiB): share the built module instead' });
  });

  it('reads "&embed" and other words after the link as requests to the page, not as the link', async () => {
    const link = await encoded({ config: { args: ['x'] }, module: { kind: 'example', id: 'hello' } });
    expect(splitFragment(`#${link.fragment}&embed`)).toEqual({ link: link.fragment, flags: ['embed'] });
    expect(splitFragment(link.fragment)).toEqual({ link: link.fragment, flags: [] });
    const back = await decoded(`${link.url}&embed`);
    expect(back.setup.config.args).toEqual(['x']);
  });

  it('payload v1 is one line of canonical JSON (then the inline module, if any)', async () => {
    const link = await encoded({ config: { timeout_ms: 5000, args: ['x'] }, module: { kind: 'inline', name: 'tiny.wasm', bytes: hello.subarray(0, 8) } });
    const sealed = fromBase64Url(link.fragment.slice(3));
    if (!sealed.ok) throw new Error('not base64url');
    const inflated = await inflateRaw(sealed.bytes.subarray(0, -4), MAX_PAYLOAD_BYTES);
    if (!inflated.ok) throw new Error('does not inflate');
    const text = new TextDecoder().decode(inflated.bytes.subarray(0, inflated.bytes.indexOf(0x0a)));
    expect(text).toBe('{"doc":{"args":["x"],"timeout_ms":5000},"module":{"kind":"inline","name":"tiny.wasm","size":8}}');
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect([...inflated.bytes.subarray(inflated.bytes.indexOf(0x0a) + 1)]).toEqual([...hello.subarray(0, 8)]);
  });
});
