import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxConfigInput } from '../../core/policy/schema.ts';
import { encodeShareLink } from '../../core/share/link.ts';
import { runCommand } from '../../testing/cli/fake-io.ts';
import { run } from './policy.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../io.ts';

const dir = tempDir('kavach-policy-');
const DOC: SandboxConfigInput = {
  policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/out', access: 'rw' }], memory_limit_mb: 64 },
  env: [['GREETING', 'hello world']],
  args: ['first'],
  timeout_ms: 5000,
};
writeFileSync(join(dir, 'doc.json'), JSON.stringify(DOC));
writeFileSync(join(dir, 'bad.json'), JSON.stringify({ policy: { memory_limit_mb: -1 } }));
writeFileSync(join(dir, 'run.sh'), 'wasmtime run --dir ./d::/data --env A=1 -W timeout=2s prog.wasm x\n');
writeFileSync(join(dir, 'binary.bin'), Uint8Array.of(0xff, 0xfe, 0x00));

const policy = (argv: string[], stdin?: string) => runCommand(run, argv, { cwd: dir, stdin });

describe('kavach policy export', () => {
  it('prints a wasmtime command line and lists on stderr what wasmtime cannot express', async () => {
    const r = await policy(['export', '--to', 'wasmtime', '--module', 'cat.wasm', 'doc.json']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/^# `wasmtime run` for this Kavach Playground setup\./);
    expect(r.out).toContain("--env 'GREETING=hello world' \\\n  -W fuel=5000000000 \\\n  -W max-memory-size=67108864 \\\n  -W timeout=5s \\\n  cat.wasm first\n");
    expect(r.err).toBe(
      'kavach policy export: wasmtime run command line cannot express these, so the export leaves them out or changes them:\n' +
      '  - policy.landlock_rules[0].access: "/data" is read-only ("ro"), but wasmtime\'s CLI cannot mount a directory read-only (wasmtime issue 9608): this command mounts it read-write\n',
    );
  });

  it('prints kavach JSON as the crate writes it, and an Extism manifest', async () => {
    const kavach = await policy(['export', '--to', 'kavach', 'doc.json']);
    expect(kavach.code).toBe(EXIT_OK);
    expect(JSON.parse(kavach.out)).toMatchObject({ backend: 'Wasm', env: [['GREETING', 'hello world']], timeout_ms: 5000 });
    expect(kavach.err).toContain('  - args: kavach cannot express 1 argument ("first")\n');
    const extism = await policy(['export', '--to', 'extism', '--sha256', 'AB'.repeat(32), 'doc.json']);
    expect(JSON.parse(extism.out)).toEqual({
      wasm: [{ path: 'module.wasm', hash: 'ab'.repeat(32) }], memory: { max_pages: 1024 },
      allowed_paths: { 'ro:./data': '/data', './out': '/out' }, timeout_ms: 5000,
    });
  });

  it('converts between formats: any importable file is a POLICY, stdin included', async () => {
    const r = await policy(['export', '--to', 'extism', 'run.sh']);
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(r.out)).toMatchObject({ wasm: [{ path: 'prog.wasm' }], allowed_paths: { './data': '/data' }, timeout_ms: 2000 });
    const piped = await policy(['export', '--to', 'kavach-policy', '-'], '{"seccomp_enabled": true}');
    expect(piped).toMatchObject({ code: EXIT_OK, err: '' });
    expect(JSON.parse(piped.out)).toMatchObject({ seccomp_enabled: true });
  });

  it('labels the Deno and Node flags as an analogy', async () => {
    const r = await policy(['export', '--to', 'deno', 'doc.json']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/^# AN ANALOGY ONLY/);
    expect(r.out.trim().split('\n').at(-1)).toBe('deno run --allow-read=./data,./out --allow-write=./out --allow-env=GREETING main.ts');
    expect(r.err).toMatch(/^kavach policy export: Deno permission flags \(analogy only\): these describe a JavaScript program's host access, not this sandbox\n/);
  });

  it('exits 2 with a clear message on bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['export', 'doc.json'], /export needs --to FORMAT \(kavach, kavach-policy, wasmtime, extism, deno, node, playground\)/],
      [['export', '--to', 'docker', 'doc.json'], /unknown format "docker"/],
      [['export', '--to', 'wasmtime'], /export needs a POLICY file/],
      [['export', '--to', 'wasmtime', 'missing.json'], /cannot read missing\.json: ENOENT/],
      [['export', '--to', 'wasmtime', 'bad.json'], /bad\.json: not a valid policy document:\npolicy\.memory_limit_mb: expected a memory limit/],
      [['export', '--to', 'extism', '--sha256', 'xyz', 'doc.json'], /--sha256 expects 64 hex digits/],
      [['export', '--to', 'wasmtime', '--bogus', 'doc.json'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown subcommand "frobnicate" \(use export or import\)/],
      [[], /expected "export" or "import"/],
    ];
    for (const [argv, message] of cases) {
      const r = await policy(argv);
      expect(r.code, argv.join(' ')).toBe(EXIT_BAD_INPUT);
      expect(r.err, argv.join(' ')).toMatch(message);
      expect(r.err).toMatch(/Run `kavach policy --help` for usage\.\n$/);
      expect(r.out).toBe('');
    }
  });
});

describe('kavach policy import', () => {
  it('detects a wasmtime command line and prints the playground document', async () => {
    const r = await policy(['import', 'run.sh']);
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(r.out)).toEqual({ policy: { landlock_rules: [{ path: '/data', access: 'rw' }] }, timeout_ms: 2000, env: [['A', '1']], args: ['x'] });
    expect(r.err).toBe(
      'kavach policy import: read a wasmtime run command line\n' +
      "kavach policy import: the setup's module: prog.wasm\n" +
      'warning: wasmtime ran without a fuel budget; the playground derives 2,000,000,000 from the timeout, as kavach does\n',
    );
  });

  it('reads stdin, kavach JSON included, and a share link', async () => {
    const kavach = await policy(['import', '-'], '{"backend": "Wasm", "policy": {"memory_limit_mb": 32}, "timeout_ms": 30000, "secrets": [], "env": [], "workdir": null, "agent_id": null, "externalization": null}');
    expect(kavach.code).toBe(EXIT_OK);
    // kavach's externalization null (no gate) is kept: a playground document without it would get the default gate.
    expect(JSON.parse(kavach.out)).toEqual({ policy: { memory_limit_mb: 32 }, timeout_ms: 30000, externalization: null });
    expect(kavach.err).toBe('kavach policy import: read a kavach SandboxConfig (JSON)\n');
    const link = await encodeShareLink({ config: DOC, module: { kind: 'example', id: 'cat' } }, { baseUrl: 'https://kavach.example/' });
    if (!link.ok) throw new Error(link.message);
    const shared = await policy(['import', '-'], `${link.url}\n`);
    expect(shared.code).toBe(EXIT_OK);
    expect(JSON.parse(shared.out)).toEqual(DOC);
    expect(shared.err).toBe('kavach policy import: read a share link\nkavach policy import: the setup\'s module: the example "cat"\n');
  });

  it("says where kavach would read a kavach document otherwise: a field left out whose default differs, timeout_ms 0 (lifecycle/mod.rs 1.0.1:93, wasm/mod.rs:78-83)", async () => {
    const r = await policy(['import', '-'], '{"backend": "Wasm", "policy": {"memory_limit_mb": 32}, "secrets": [], "env": [], "externalization": null}');
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).toBe(
      'kavach policy import: read a kavach SandboxConfig (JSON)\n' +
      'kavach policy import: kavach would read it otherwise:\n' +
      "  - timeout_ms: left out; kavach's default is 30000 (30 s), the playground's 10000 (10 s)\n",
    );
    const none = await policy(['import', '-'], '{"backend": "Wasm", "policy": {}, "timeout_ms": 0, "secrets": [], "env": [], "externalization": null}');
    expect(none.err).toContain('  - timeout_ms: kavach reads 0 as no fuel at all, so the module cannot run; here 0 is no timeout and, while fuel is null, no fuel limit\n');
  });

  it('exits 2 on what it cannot read', async () => {
    const cases: [string[], string | undefined, RegExp][] = [
      [['import', '-'], 'hello there', /-: not a format this playground reads/],
      [['import', '-'], 'deno run main.ts', /analogy only and cannot be imported/],
      [['import', '-'], 'https://kavach.example/#v1.AAAAAAAAAA', /the link is damaged/],
      [['import', 'binary.bin'], undefined, /binary\.bin is not UTF-8 text/],
      [['import'], undefined, /import needs a FILE/],
      [['import', 'a', 'b'], undefined, /unexpected argument "b"/],
    ];
    for (const [argv, stdin, message] of cases) {
      const r = await policy(argv, stdin);
      expect(r.code, argv.join(' ')).toBe(EXIT_BAD_INPUT);
      expect(r.err, argv.join(' ')).toMatch(message);
    }
  });

  it('prints its help with -h', async () => {
    const r = await policy(['--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/^usage: kavach policy export --to FORMAT/);
    expect((await policy(['export', '-h'])).out).toBe(r.out);
  });
});
