import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallEvent } from '../audit/events.ts';
import { parseDocument, type SandboxConfigInput } from '../policy/index.ts';
import { Engine, TRIVIAL_START_MODULE, type RunReport, type RunResult, type SpawnWorker, type WorkerHandle } from './engine.ts';
import { Lifecycle } from './lifecycle.ts';
import { SecretStore } from '../secrets/index.ts';
import { spawnNodeWorker } from './node/spawn-node.ts';

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../../public/examples/${name}.wasm`, import.meta.url)));
const engine = new Engine(spawnNodeWorker, { prewarm: true });
afterAll(() => engine.dispose());

async function run(name: string, config: SandboxConfigInput = {}, module: Uint8Array = example(name)): Promise<RunResult> {
  const report = await engine.run({ module, moduleName: `${name}.wasm`, config: parseDocument(config) }).result;
  if (!report.ok) throw new Error(`run failed: ${report.error.message}`);
  return report.result;
}
async function runError(module: Uint8Array, config: SandboxConfigInput = {}): Promise<string> {
  const report: RunReport = await engine.run({ module, moduleName: 'bad.wasm', config: parseDocument(config) }).result;
  if (report.ok) throw new Error('expected the run to fail');
  return report.error.message;
}
async function wat(source: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('test.wat', source);
  return new Uint8Array(parsed.toBinary({}).buffer);
}
const calls = (r: RunResult) => r.audit.events.filter((e): e is CallEvent => e.kind === 'call');

describe('running WASI modules', () => {
  it('runs hello and reports kavach\'s ExecResult', async () => {
    const r = await run('hello');
    expect(r.stdout).toBe('Hello from WebAssembly!\n');
    expect(r).toMatchObject({ exit_code: 0, stderr: '', timed_out: false, outcome: { kind: 'exit', code: 0 } });
    expect(r.duration_ms).toBeGreaterThan(0);
  });

  it('caches the compiled module by content hash, so a re-run does not recompile', async () => {
    const bytes = example('hello');
    const first = await run('hello', { timeout_ms: 1234 }, bytes);
    const second = await run('hello', { timeout_ms: 1234 }, bytes);
    expect(first.module.cached).toBe(false);
    expect(second.module.cached).toBe(true);
    expect(second.module.sha256).toBe(first.module.sha256);
    expect(second.stdout).toBe(first.stdout);
  });

  it('starts a first run before the module is hashed, and still reports its hash and caches it', async () => {
    // A fresh engine's cache is empty, so the run does not wait for the hash; the module is
    // transferred to the worker (detached here) while the digest works on its own copy.
    const own = new Engine(spawnNodeWorker, { prewarm: false });
    try {
      const bytes = example('hello');
      const expected = createHash('sha256').update(bytes).digest('hex');
      const config = parseDocument({});
      const first = await own.run({ module: bytes, moduleName: 'hello.wasm', config, transfer: true }).result;
      expect(bytes.byteLength).toBe(0);
      expect(first.ok && first.result.module).toMatchObject({ sha256: expected, cached: false });
      const second = await own.run({ module: example('hello'), moduleName: 'hello.wasm', config }).result;
      expect(second.ok && second.result.module).toMatchObject({ sha256: expected, cached: true });
    } finally {
      own.dispose();
    }
  });

  it('boots the spare worker after a run, never during one, and never gives one worker two runs', async () => {
    const spawned: WorkerHandle[] = [];
    const starts = new Map<WorkerHandle, number>();
    const counting: SpawnWorker = () => {
      const w = spawnNodeWorker();
      const handle: WorkerHandle = { ...w, post: (message, transfer) => {
        if (message.type === 'start') starts.set(handle, (starts.get(handle) ?? 0) + 1);
        w.post(message, transfer);
      } };
      spawned.push(handle);
      return handle;
    };
    const own = new Engine(counting, { prewarm: true });
    try {
      expect(spawned).toHaveLength(1);
      const config = parseDocument({});
      const first = own.run({ module: example('hello'), moduleName: 'hello.wasm', config });
      expect(spawned).toHaveLength(1); // the spare took the run; nothing boots beside it
      expect((await first.result).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 0));
      expect(spawned).toHaveLength(2); // the next run's worker, booted once the result was given
      const second = await own.run({ module: example('hello'), moduleName: 'hello.wasm', config }).result;
      expect(second.ok && second.result.stdout).toBe('Hello from WebAssembly!\n');
      await new Promise((r) => setTimeout(r, 0));
      expect(spawned).toHaveLength(3);
      expect([...starts.values()]).toEqual([1, 1]); // two runs, two workers, one start each
    } finally {
      own.dispose();
    }
    await new Promise((r) => setTimeout(r, 0));
    expect(spawned).toHaveLength(3); // nothing boots after dispose
  });

  it('passes argv (argv[0] = module name) and env', async () => {
    const r = await run('args_env', { args: ['one', 'two words'], env: [['GREETING', 'hi'], ['LANG', 'C']] });
    expect(r.stdout).toContain('argc=3\nargv[0]=args_env.wasm\nargv[1]=one\nargv[2]=two words\n');
    expect(r.stdout).toContain('env GREETING=hi\nenv LANG=C\n');
  });

  it('gives proc_exit\'s code as the exit code and captures stderr', async () => {
    const r = await run('exit_code', { args: ['7'] });
    expect(r.exit_code).toBe(7);
    expect(r.outcome).toEqual({ kind: 'exit', code: 7 });
    expect(r.stderr).toContain('exiting with 7');
  });

  it('feeds the policy\'s stdin text', async () => {
    const r = await run('stdin_echo', { stdin: 'line one\nline two\n' });
    expect(r.stdout).toBe('line one\nline two\n');
    expect(r.stderr).toContain('read 18 bytes');
  });

  it('reads files from a mount', async () => {
    const r = await run('cat', {
      policy: { landlock_rules: [{ path: '/data', access: 'ro' }] },
      files: { '/data/input.txt': 'mounted contents\n' },
    });
    expect(r.stdout).toBe('mounted contents\n');
    expect(r.exit_code).toBe(0);
  });

  it('writes to a read-write mount and reports its contents after the run', async () => {
    const r = await run('write_files', { policy: { landlock_rules: [{ path: '/out', access: 'rw' }] } });
    expect(r.stdout).toContain('failed=0');
    expect(r.exit_code).toBe(0);
    const out = r.mounts?.find((m) => m.path === '/out');
    const files = Object.fromEntries((out?.entries ?? []).map((e) => [e.path, e.data === null ? null : new TextDecoder().decode(e.data)]));
    expect(files).toMatchObject({
      'renamed.txt': 'written by wasm\n',
      'log.txt': 'log line 1\nlog line 2\n',
      'sub/': null,
      'sub/nested.txt': 'nested file\n',
    });
    expect(files['hello.txt']).toBeUndefined();
  });
});

describe('read-only mounts', () => {
  const policy = {
    policy: { landlock_rules: [{ path: '/data', access: 'ro' }] },
    files: { '/data/input.txt': 'keep me', '/data/keep/file.txt': 'nested' },
  };

  it('refuse every mutating call with EROFS while reads and stat work', async () => {
    const r = await run('ro_attack', policy);
    const lines = r.stdout.split('\n').filter((l) => /^(open|write|pwrite|ftruncate|posix_fallocate|futimens|utimensat|mkdir|rmdir|unlink|link|symlink|rename)/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(18);
    for (const line of lines) expect(line).toMatch(/errno=69 \(Read-only file system\)$/);
    expect(r.stdout).toContain('read: ok 7 bytes');
    expect(r.stdout).toContain('stat: ok size=7');
    expect(r.stdout).toMatch(/denied=\d+ allowed=0/);
  });

  it('audits each denial with the rule that caused it', async () => {
    const r = await run('ro_attack', policy);
    const denials = calls(r).filter((e) => e.denial !== undefined);
    expect(denials.length).toBeGreaterThanOrEqual(18);
    for (const d of denials) {
      expect(d.errnoName).toBe('ROFS');
      expect(d.denial?.rule).toBe('landlock_rules[0]');
      expect(d.denial?.reason).toMatch(/ \/data\/\S* denied: mount \/data is read-only \(policy rule 0\)$/);
    }
    expect(denials.map((d) => d.fn)).toEqual(expect.arrayContaining([
      'path_open', 'fd_write', 'fd_pwrite', 'fd_filestat_set_size', 'fd_allocate', 'fd_filestat_set_times',
      'path_filestat_set_times', 'path_create_directory', 'path_remove_directory', 'path_unlink_file',
      'path_link', 'path_symlink', 'path_rename',
    ]));
  });

  it('makes every mount read-only under read_only_rootfs, naming that as the rule', async () => {
    const r = await run('write_files', { policy: { read_only_rootfs: true, landlock_rules: [{ path: '/out', access: 'rw' }] } });
    expect(r.exit_code).toBe(1);
    expect(r.stdout).toContain('errno=69');
    expect(calls(r).find((e) => e.denial)?.denial?.reason).toContain('(read_only_rootfs)');
  });

  it('keep the sandbox closed against path and symlink escapes', async () => {
    const r = await run('escape', { policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/tmp', access: 'rw' }] } });
    expect(r.stdout).toContain('leaked=0');
    expect(r.stdout).not.toMatch(/read [^\n]*: ok/);
  });
});

describe('limits and kills', () => {
  it('kills a busy loop at the wall-clock deadline (kavach: exit_code -1, timed_out)', async () => {
    const r = await run('loop', { timeout_ms: 300, fuel: 1e15 });
    expect(r.outcome).toEqual({ kind: 'timeout', afterMs: 300 });
    expect(r).toMatchObject({ exit_code: -1, timed_out: true });
    expect(r.stdout).toContain('looping forever');
  });

  it('ends a long sleep at the deadline', async () => {
    const r = await run('sleep', { args: ['60000'], timeout_ms: 400 });
    expect(r.outcome.kind).toBe('timeout');
    expect(r.stdout).toContain('sleeping 60000 ms');
    expect(r.stdout).not.toContain('woke up');
  });

  it('lets a short sleep finish', async () => {
    const r = await run('sleep', { args: ['50'] });
    expect(r.stdout).toContain('woke up');
    expect(r.exit_code).toBe(0);
  });

  it('stops a run on request', async () => {
    const handle = engine.run({ module: example('loop'), moduleName: 'loop.wasm', config: parseDocument({ timeout_ms: 0 }) });
    // timeout_ms 0 means no deadline and no fuel: only Stop ends this run.
    setTimeout(() => handle.stop(), 200);
    const report = await handle.result;
    expect(report.ok && report.result.outcome).toEqual({ kind: 'stopped' });
    expect(report.ok && report.result.exit_code).toBe(-1);
  });

  it('cuts output at max_output_bytes and reports the cut', async () => {
    const r = await run('output_flood', { max_output_bytes: 1000, timeout_ms: 500, fuel: 1e15 });
    expect(r.stdoutBytes.length).toBe(1000);
    expect(r.truncated.stdout).toBe(true);
  });

  it('stops a busy loop when its fuel runs out (kavach: exit_code -1, timed_out, stderr)', async () => {
    const r = await run('loop', { timeout_ms: 10_000, fuel: 50_000_000 });
    expect(r.outcome).toEqual({ kind: 'fuel_exhausted', budget: 50_000_000n });
    expect(r).toMatchObject({ exit_code: -1, timed_out: true });
    expect(r.stderr).toContain('WASM fuel exhausted: ');
    expect(r.fuel.budget).toBe(50_000_000n);
    // The run stops when the next metered segment cannot be paid for, so a few units may be left.
    expect(r.fuel.consumed).toBeLessThanOrEqual(50_000_000n);
    expect(r.fuel.consumed).toBeGreaterThan(50_000_000n - 1_000n);
  });

  it('reports the fuel a finished run used', async () => {
    const r = await run('hello', { fuel: 1_000_000_000 });
    expect(r.fuel.consumed).toBeGreaterThan(0n);
    expect(r.fuel.consumed).toBeLessThan(1_000_000n);
  });

  it('caps memory: malloc fails at the cap and the peak stays under it', async () => {
    const r = await run('memory_bomb', { policy: { memory_limit_mb: 32 }, timeout_ms: 20_000 });
    expect(r.exit_code).toBe(3);
    const mib = Number(/malloc failed after (\d+) MiB/.exec(r.stdout)?.[1]);
    expect(mib).toBeGreaterThan(8);
    expect(mib).toBeLessThan(32);
    expect(r.memory.limitBytes).toBe(32 * 1048576);
    expect(r.memory.peakBytes).toBeLessThanOrEqual(32 * 1048576);
  });

  it('serves WASI calls through an imported memory the module does not export', async () => {
    const r = await run('imported-io', { policy: { memory_limit_mb: 1 } }, await wat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (import "env" "memory" (memory 1))
      (data (i32.const 16) "via imported memory\\n")
      (func (export "_start") (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 20))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`));
    expect(r.stdout).toBe('via imported memory\n');
  });

  it('refuses a module whose minimum memory exceeds the cap before it runs', async () => {
    const message = await runError(await wat('(module (memory (export "memory") 100) (func (export "_start")))'), { policy: { memory_limit_mb: 2 } });
    expect(message).toMatch(/^sandbox execution failed: WASM instantiate: .*100 pages.*32 pages/);
  });

  it('gives an imported memory the cap', async () => {
    const r = await run('imported', { policy: { memory_limit_mb: 1 } }, await wat(`(module (import "env" "memory" (memory 1))
      (func (export "_start") (if (i32.ne (memory.grow (i32.const 100)) (i32.const -1)) (then unreachable))))`));
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(r.memory.peakBytes).toBe(65536);
  });

  it('classifies exhausting the engine stack as a stack overflow', async () => {
    const r = await run('deep', {}, await wat(`(module (memory (export "memory") 1)
      (func $down (param i32) (result i32) (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
      (func (export "_start") (drop (call $down (i32.const 0)))))`));
    expect(r.outcome.kind).toBe('stack_overflow');
    expect(r.exit_code).toBe(-1);
  });
});

describe('bad modules get kavach\'s errors', () => {
  it('a corrupt module fails to load', async () => {
    expect(await runError(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99, 1]))).toMatch(/^sandbox execution failed: WASM load: /);
    expect(await runError(new TextEncoder().encode('not wasm at all'))).toMatch(/^sandbox execution failed: WASM load: /);
  });

  it('a module without _start is refused', async () => {
    expect(await runError(await wat('(module (memory (export "memory") 1) (func (export "main")))')))
      .toBe('sandbox execution failed: WASM module has no _start function');
  });

  it('imports other than WASI preview1 are named', async () => {
    const message = await runError(await wat(`(module
      (import "env" "launch_missiles" (func))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "not_a_call" (func))
      (memory (export "memory") 1) (func (export "_start")))`));
    expect(message).toMatch(/^sandbox execution failed: WASM instantiate: /);
    expect(message).toContain('env.launch_missiles (function)');
    expect(message).toContain('wasi_snapshot_preview1.not_a_call (function)');
    expect(message).not.toContain('fd_write');
  });

  it('a genuine trap is reported with its message', async () => {
    const r = await run('trap', {}, await wat('(module (memory (export "memory") 1) (func (export "_start") unreachable))'));
    expect(r.outcome).toEqual({ kind: 'trap', message: 'unreachable' });
  });
});

describe('credential proxy and call filter', () => {
  const snoopConfig = {
    policy: { landlock_rules: [{ path: '/secrets', access: 'ro' }, { path: '/data', access: 'rw' }] },
    files: { '/data/input.txt': 'public data' },
    secrets: [
      { name: 'API_TOKEN', inject_via: { EnvVar: { var_name: 'API_TOKEN' } } },
      { name: 'DB_PASSWORD', inject_via: { File: { path: '/secrets/db.txt', mode: 0o400 } } },
    ],
  };

  it('injects secrets as env and files, and redacts every value from output and audit', async () => {
    const secrets = new SecretStore();
    secrets.register('API_TOKEN', 'tok-3f9a8b7c6d5e');
    secrets.register('DB_PASSWORD', 'hunter2-but-longer');
    const report = await engine.run({ module: example('secret_snoop'), moduleName: 'secret_snoop.wasm', config: parseDocument(snoopConfig), secrets }).result;
    if (!report.ok) throw new Error(report.error.message);
    const r = report.result;
    expect(r.stdout).toContain('env API_TOKEN=[REDACTED:secret:API_TOKEN]');
    expect(r.stdout).toContain('file /secrets/db.txt (18 bytes): [REDACTED:secret:DB_PASSWORD]');
    expect(r.stdout).toContain('found env=1 files=2');
    const everything = r.stdout + r.stderr + JSON.stringify(r.audit.events);
    expect(everything).not.toContain('tok-3f9a8b7c6d5e');
    expect(everything).not.toContain('hunter2-but-longer');
  });

  it('refuses a run whose secret is not registered, with kavach\'s CredentialError', async () => {
    const report = await engine.run({ module: example('hello'), moduleName: 'hello.wasm', config: parseDocument(snoopConfig) }).result;
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.error.kind).toBe('CredentialError');
    expect(report.error.message).toBe('credential error: secret API_TOKEN is not registered');
  });

  it('denies filtered calls with ENOSYS without running them, naming the rule', async () => {
    const r = await run('escape', { policy: { seccomp_enabled: true, seccomp_profile: 'basic', landlock_rules: [{ path: '/tmp', access: 'rw' }, { path: '/data', access: 'ro' }] } });
    expect(r.stdout).toContain('symlink /tmp/link_abs -> /etc/passwd: errno=52');
    const denied = calls(r).filter((e) => e.fn === 'path_symlink');
    expect(denied.length).toBeGreaterThan(0);
    for (const d of denied) {
      expect(d.errnoName).toBe('NOSYS');
      expect(d.denial?.rule).toBe('seccomp_profile:basic');
    }
  });

  it('keeps the strict profile to its allowlist while a plain program still runs', async () => {
    const r = await run('hello', { policy: { seccomp_enabled: true, seccomp_profile: 'strict' } });
    expect(r.stdout).toBe('Hello from WebAssembly!\n');
    const custom = await run('write_files', { policy: { wasi_filter: { mode: 'deny', calls: ['path_rename'] }, landlock_rules: [{ path: '/out', access: 'rw' }] } });
    expect(custom.stdout).toMatch(/rename[^\n]*errno=52/);
    expect(calls(custom).find((e) => e.fn === 'path_rename')?.denial?.rule).toBe('wasi_filter');
  });
});

describe('output gate on the stream', () => {
  it('blocks output carrying a critical finding (an AWS key) and says why', async () => {
    const r = await run('cloud_key');
    expect(r.gate?.verdict).toBe('block');
    expect(r.gate?.reason).toMatch(/^output blocked at stdout character \d+ \(aws_access_key/);
    expect(r.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(r.gate?.findings.map((f) => f.category)).toContain('cloud_credential');
  });

  it('blocks a key written one byte at a time before any byte of it leaves', async () => {
    const drip = new Uint8Array(readFileSync(new URL('../../../attacks/wasm/drip_key.wasm', import.meta.url)));
    const r = await run('drip_key', {}, drip);
    expect(r.gate?.verdict).toBe('block');
    expect(r.stdout).toBe('dripping a key one byte at a time\nkey=');
    expect(r.gate?.reason).toMatch(/^output blocked at stdout character 38 \(aws_access_key, "AKIA…"\)/);
  });

  it('quarantines a high finding, releasing what came before it, and keeps the rest for the user to reveal', async () => {
    const r = await run('stdin_echo', { stdin: 'before\nslack xoxb-1234567890-abcdefghij\nafter\n' });
    expect(r.gate?.verdict).toBe('quarantine');
    expect(r.stdout).toBe('before\nslack ');
    expect(r.gate?.quarantined?.stdout).toBe('xoxb-1234567890-abcdefghij\nafter\n');
  });

  it('redacts a warn-level finding and releases the rest', async () => {
    const r = await run('stdin_echo', { stdin: 'mail ada@example.org please\n' });
    expect(r.gate?.verdict).toBe('warn');
    expect(r.stdout).toBe('mail [REDACTED:pii] please\n');
  });

  it('releases everything unscanned when the policy turns the gate off', async () => {
    const r = await run('cloud_key', { externalization: { enabled: false } });
    expect(r.gate?.verdict).toBe('pass');
    expect(r.stdout).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(r.gate?.notes[0]).toMatch(/disabled by policy/);
  });
});

describe('audit cap', () => {
  it('keeps the first entries and the latest ones, in order, and counts those dropped between', async () => {
    const module = new Uint8Array(readFileSync(new URL('../../../bench/io/syscalls.wasm', import.meta.url)));
    const report = await engine.run({
      module, moduleName: 'syscalls.wasm', auditLimit: 1500,
      config: parseDocument({ args: ['2000'], policy: { landlock_rules: [{ path: '/tmp', access: 'rw' }] } }),
    }).result;
    if (!report.ok) throw new Error(report.error.message);
    const r = report.result;
    const kept = calls(r);
    expect(kept).toHaveLength(1500);
    expect(r.audit.dropped).toBeGreaterThan(4000);
    const seqs = r.audit.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // The last entry is the end of the program: stdio writing the checksum line.
    const last = kept[kept.length - 1];
    expect(last).toMatchObject({ fn: 'fd_write', errnoName: 'SUCCESS' });
    expect(last.args.fd).toBe('1 (stdout)');
    expect(kept.find((e) => e.fn === 'fd_seek')?.args).toMatchObject({ fd: '4 (/tmp/log.bin)', offset: -8, whence: 'cur' });
    // The first 1,000 carry their call's time; past them most carry the interval they were made
    // in, on the same clock as the rest of the trail.
    expect(kept.slice(0, 1000).every((e) => e.timeUntil === undefined)).toBe(true);
    const intervals = kept.filter((e) => e.timeUntil !== undefined);
    expect(intervals.length).toBeGreaterThan(400);
    for (const e of intervals) expect(e.timeUntil).toBeGreaterThanOrEqual(e.time);
    const times = r.audit.events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const lastLifecycle = r.audit.events.filter((e) => e.kind === 'lifecycle').map((e) => e.time).pop() ?? 0;
    for (const e of intervals) expect(e.timeUntil).toBeLessThanOrEqual(lastLifecycle);
  });
});

describe('live stdin', () => {
  it('feeds what is typed during the run after the policy\'s stdin, until it is closed', async () => {
    const handle = engine.run({ module: example('stdin_echo'), moduleName: 'stdin_echo.wasm', config: parseDocument({ stdin: 'from the policy\n' }), liveStdin: true });
    expect(handle.stdin).not.toBeNull();
    setTimeout(() => {
      handle.stdin?.write('typed line one\n');
      handle.stdin?.write(new TextEncoder().encode('typed line two\n'));
      handle.stdin?.close();
    }, 100);
    const report = await handle.result;
    if (!report.ok) throw new Error(report.error.message);
    expect(report.result.stdout).toBe('from the policy\ntyped line one\ntyped line two\n');
  });

  it('does not let a module waiting for input outlive its deadline', async () => {
    const handle = engine.run({ module: example('stdin_echo'), moduleName: 'stdin_echo.wasm', config: parseDocument({ timeout_ms: 300 }), liveStdin: true });
    const report = await handle.result;
    expect(report.ok && report.result.outcome.kind).toBe('timeout');
  });
});

describe('deterministic runs', () => {
  const config = {
    deterministic: { clock_start_ms: 1_700_000_000_000, clock_step_ns: 1000, random_seed: 42 },
    policy: { landlock_rules: [{ path: '/out', access: 'rw' }] },
  };
  const trail = (r: RunResult) => JSON.stringify(r.audit.events);

  it('repeat byte for byte: output and audit trail', async () => {
    const a = await run('clock_random', config);
    const b = await run('clock_random', config);
    expect(a.stdoutBytes).toEqual(b.stdoutBytes);
    expect(trail(a)).toBe(trail(b));
    expect(a.stdout).toContain('1700000000');
    const w1 = await run('write_files', config);
    const w2 = await run('write_files', config);
    expect(trail(w1)).toBe(trail(w2));
    expect(w1.stdout).toBe(w2.stdout);
  });

  it('change with the seed, and differ from a real-clock run', async () => {
    const a = await run('clock_random', config);
    const other = await run('clock_random', { ...config, deterministic: { ...config.deterministic, random_seed: 7 } });
    expect(other.stdout).not.toBe(a.stdout);
    const real1 = await run('clock_random');
    const real2 = await run('clock_random');
    expect(real1.stdout).not.toBe(real2.stdout);
  });

  it('let a sleep pass in virtual time without waiting', async () => {
    const r = await run('sleep', { ...config, args: ['60000'], timeout_ms: 5000 });
    // A real 60 s sleep would have been killed by the 5 s timeout before waking.
    expect(r.stdout).toContain('woke up');
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
  });
});

describe('lifecycle', () => {
  it('records created, started, exec_begin, exec_complete, stopped, destroyed in order', async () => {
    const r = await run('hello');
    const lifecycle = r.audit.events.filter((e) => e.kind === 'lifecycle').map((e) => (e.kind === 'lifecycle' ? e.event : ''));
    expect(lifecycle).toEqual(['created', 'started', 'exec_begin', 'exec_complete', 'stopped', 'destroyed']);
    const seqs = r.audit.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(calls(r).some((e) => e.fn === 'fd_write' && e.args.fd === '1 (stdout)' && e.args.bytes === 24)).toBe(true);
  });

  it('allows only kavach\'s transitions, with its messages (lifecycle/mod.rs 1.0.1:258-265, error.rs:17-19, 34)', () => {
    const l = new Lifecycle();
    expect(() => l.requireRunning()).toThrow('sandbox execution failed: sandbox is created, not running');
    expect(() => l.transition('stopped', 'stop')).toThrow('lifecycle error: created -> stopped: invalid state transition');
    l.transition('running', 'start');
    l.transition('paused', 'pause');
    l.transition('running', 'resume');
    l.transition('stopped', 'stop');
    expect(() => l.transition('running', 'restart')).toThrow('lifecycle error: stopped -> running: invalid state transition');
    l.transition('destroyed', 'destroy');
    expect(l.state).toBe('destroyed');
  });

  it('passes the health check by compiling the trivial _start module', async () => {
    expect(WebAssembly.validate(TRIVIAL_START_MODULE)).toBe(true);
    expect(await Engine.healthCheck()).toBe(true);
  });
});
