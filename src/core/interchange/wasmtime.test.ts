import { describe, expect, it } from 'vitest';
import { loadDocument } from '../policy/load.ts';
import type { SandboxConfigInput } from '../policy/schema.ts';
import { seededRandom, TRICKY_TEXTS } from '../../testing/share/random-setup.ts';
import { shellQuote, tokenize } from './shell-words.ts';
import { exportWasmtime, importWasmtime, parseDuration } from './wasmtime.ts';

function load(doc: SandboxConfigInput) {
  const loaded = loadDocument(doc);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

function imported(text: string) {
  const r = importWasmtime(text);
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('wasmtime export', () => {
  it('writes --dir, --env, -W fuel/max-memory-size/timeout, the module and its arguments', () => {
    const config = load({
      policy: { landlock_rules: [{ path: '/out', access: 'rw' }, { path: '/srv/app data', access: 'rw' }], memory_limit_mb: 64 },
      env: [['GREETING', 'hello world'], ['Q', "it's"]], args: ['first', '$HOME'], timeout_ms: 2500,
    });
    const exported = exportWasmtime(config, { moduleName: 'hello.wasm' });
    expect(exported.lossy).toEqual([]);
    expect(exported.text.split('\n').filter((l) => !l.startsWith('#')).join('\n')).toBe([
      'wasmtime run \\',
      '  --dir ./out::/out \\',
      "  --dir './srv/app data::/srv/app data' \\",
      "  --env 'GREETING=hello world' \\",
      "  --env 'Q=it'\\''s' \\",
      '  -W fuel=2500000000 \\',
      '  -W max-memory-size=67108864 \\',
      '  -W timeout=2500ms \\',
      "  hello.wasm first '$HOME'",
    ].join('\n'));
  });

  it('says in a comment, and in the lossy list, that read-only mounts become read-write', () => {
    const exported = exportWasmtime(load({ policy: { landlock_rules: [{ path: '/data', access: 'ro' }] } }));
    expect(exported.lossy).toEqual([
      'policy.landlock_rules[0].access: "/data" is read-only ("ro"), but wasmtime\'s CLI cannot mount a directory read-only (wasmtime issue 9608): this command mounts it read-write',
    ]);
    expect(exported.text).toMatch(/^# {3}- policy\.landlock_rules\[0\]\.access: "\/data" is read-only/m);
    expect(exported.text).toContain('--dir ./data::/data');
  });

  it('keeps every comment one line, whatever the policy holds', () => {
    const exported = exportWasmtime(load({ policy: { landlock_rules: [{ path: '/x\nrm -rf ~ #', access: 'ro' }] }, stdin: 'a\nb' }));
    const lines = exported.text.split('\n');
    const start = lines.indexOf('wasmtime run \\');
    expect(lines.slice(0, start).every((l) => l.startsWith('# '))).toBe(true);
    const command = tokenize(lines.slice(start).join('\n'));
    expect(command.ok && command.tokens.every((t) => t.kind === 'word')).toBe(true);
    expect(importWasmtime(exported.text)).toMatchObject({ ok: true, config: { policy: { landlock_rules: [{ path: '/x\nrm -rf ~ #', access: 'rw' }] } } });
  });

  it('passes EnvVar secrets from the host environment by name, never a value', () => {
    const exported = exportWasmtime(load({ secrets: [{ name: 'API_KEY', inject_via: { EnvVar: { var_name: 'API_KEY' } } }, { name: 'T', inject_via: 'Stdin' }] }));
    expect(exported.text).toMatch(/--env API_KEY \\/);
    expect(exported.text).toContain("# --env API_KEY passes the host's API_KEY: set it to the value of secret API_KEY before running.");
    expect(exported.lossy).toEqual(["secrets: secret \"T\" is injected on stdin; wasmtime's CLI cannot inject a secret that way"]);
  });

  it('round-trips exactly every setup made only of what wasmtime can say', () => {
    const random = seededRandom(5);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    for (let n = 0; n < 300; n++) {
      const timeout = pick([0, 1000, 1500, 60_000]);
      const config = load({
        policy: { landlock_rules: [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(['/out', '/tmp', '/srv/a b', '/ünï', '/'])))].map((path) => ({ path, access: 'rw' })), memory_limit_mb: pick([null, 1, 64, 4096]) },
        env: Array.from({ length: Math.floor(random() * 3) }, () => [pick(['A', 'B_C', 'x.y']), pick(TRICKY_TEXTS)] as [string, string]),
        secrets: Array.from({ length: Math.floor(random() * 2) }, (_, i) => ({ name: `V${i}`, inject_via: { EnvVar: { var_name: `V${i}` } } })),
        args: Array.from({ length: Math.floor(random() * 4) }, () => pick(TRICKY_TEXTS)),
        timeout_ms: timeout,
        fuel: pick([null, 1, 0x7fffffff]),
      });
      const exported = exportWasmtime(config);
      expect(exported.lossy).toEqual([]);
      const back = imported(exported.text);
      expect(back.config).toEqual(config);
      expect(exportWasmtime(back.config).text).toBe(exported.text);
    }
  });
});

describe('wasmtime import', () => {
  it('reads the flags in every spelling wasmtime accepts', () => {
    const r = imported(`# a comment
      wasmtime run --dir=.::/ --dir "./my data::/data" --env FOO=bar --env=EMPTY= \\
        -W fuel=0x10,max-memory-size=0x4000000 -Wtimeout=1m30s --wasm timeout=2s hello.wasm a 'b c' --not-a-flag`);
    expect(r.config.policy.landlock_rules).toEqual([{ path: '/', access: 'rw' }, { path: '/data', access: 'rw' }]);
    expect(r.config.env).toEqual([['FOO', 'bar'], ['EMPTY', '']]);
    expect(r.config).toMatchObject({ fuel: 16, timeout_ms: 2000, args: ['a', 'b c', '--not-a-flag'], policy: { memory_limit_mb: 64 } });
    expect(r.module).toEqual({ kind: 'named', name: 'hello.wasm', path: 'hello.wasm', sha256: null });
    expect(r.warnings).toEqual([]);
  });

  it('reads the old style without "run", and --dir without a guest path', () => {
    const r = imported('/usr/local/bin/wasmtime --dir /tmp --dir data ./build/prog.wasm');
    expect(r.config.policy.landlock_rules).toEqual([{ path: '/tmp', access: 'rw' }, { path: 'data', access: 'rw' }]);
    expect(r.warnings).toEqual([
      'policy.landlock_rules[1].path: "data" is relative: mounted at /data, where WASI programs look for it (kavach mounts the directory of that name in its working directory, under the guest name "data")',
    ]);
    expect(r.module).toMatchObject({ name: 'prog.wasm', path: './build/prog.wasm' });
    expect(r.config.timeout_ms).toBe(0);
  });

  it('reads a memory cap past 4 GiB as kavach does, capping at 4096 MiB with a warning (wasm/mod.rs 1.0.1:28-31)', () => {
    const r = imported('wasmtime run -W max-memory-size=8589934592 m.wasm');
    expect(r.config.policy.memory_limit_mb).toBe(8192);
    expect(r.warnings).toEqual(['policy.memory_limit_mb: 8192 MiB is more than a wasm32 module can address: the cap is 4096 MiB (kavach\'s WASM backend stops at the same 65,536 pages)']);
    expect(imported('wasmtime run -W max-memory-size=0 m.wasm').config.policy.memory_limit_mb).toBe(0);
  });

  it('turns --env NAME (the host value) into a secret reference, never a value', () => {
    const r = imported('wasmtime run --env HOME m.wasm');
    expect(r.config.env).toEqual([]);
    expect(r.config.secrets).toEqual([{ name: 'HOME', inject_via: { EnvVar: { var_name: 'HOME' } } }]);
    expect(r.warnings[0]).toMatch(/--env HOME: wasmtime passes the host's HOME; here it becomes a secret reference named HOME/);
  });

  it('warns about what it does not take, and rounds what the playground holds coarser', () => {
    const r = imported('printf hi | wasmtime run -S inherit-network --invoke _start -W max-memory-size=100000000 -W timeout=1500us -W async-stack-size=1 --mapdir /data::./d m.wasm > out.txt');
    expect(r.warnings).toEqual([
      'shell operator "|": only the wasmtime command itself is read',
      'shell operator ">": only the wasmtime command itself is read',
      "-S inherit-network: WASI options are not imported (the playground's WASI has no network, threads or other proposals)",
      '--invoke _start: not a sandbox setting; ignored',
      '-W max-memory-size=100000000: the playground caps memory in whole MiB; 95 MiB',
      '-W timeout=1500us: rounded up to 2 ms',
      '-W async-stack-size=1: not a sandbox setting; ignored',
      '--mapdir is the old spelling of --dir HOST::GUEST (note the swapped order)',
      'wasmtime ran without a fuel budget; the playground derives 2,000,000 from the timeout, as kavach does',
    ]);
    expect(r.config).toMatchObject({ timeout_ms: 2, policy: { memory_limit_mb: 95, landlock_rules: [{ path: '/data', access: 'rw' }] } });
    expect(r.config.args).toEqual([]);
  });

  it('refuses what is not a runnable command line, saying why', () => {
    const cases: [string, RegExp][] = [
      ['wasmtime run --dir /data', /no module in the command line/],
      ['wasmtime compile m.wasm', /"wasmtime compile" does not run a module/],
      ['cargo run', /no wasmtime command found/],
      ["wasmtime run 'm.wasm", /unterminated single quote/],
      ['wasmtime run -W fuel=lots m.wasm', /-W fuel expects a positive whole number, got "lots"/],
      ['wasmtime run -W fuel=0 m.wasm', /-W fuel expects a positive whole number/],
      ['wasmtime run -W timeout=soon m.wasm', /-W timeout expects a duration/],
      ['wasmtime run --env =x m.wasm', /--env expects NAME=VALUE or NAME/],
      ['wasmtime run --dir', /--dir needs a value/],
      ['wasmtime run --dir a::b --dir b m.wasm', /mount \/b is already declared/],
    ];
    for (const [text, message] of cases) {
      const r = importWasmtime(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message, text).toMatch(message);
    }
  });

  it('parses durations as wasmtime does: a bare number is seconds', () => {
    expect(parseDuration('10')).toBe(10_000);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1m 30s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('5 parsecs')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });
});

describe('shell words', () => {
  it('reads quotes, escapes, continuations and comments; expands nothing', () => {
    const r = tokenize(`a 'b c' "d \\"e\\" \\$f $g" h\\ i \\\n j # comment\nk|l`);
    expect(r.ok && r.tokens).toEqual([
      { kind: 'word', text: 'a', expands: false },
      { kind: 'word', text: 'b c', expands: false },
      { kind: 'word', text: 'd "e" $f $g', expands: true },
      { kind: 'word', text: 'h i', expands: false },
      { kind: 'word', text: 'j', expands: false },
      { kind: 'operator', text: ';' },
      { kind: 'word', text: 'k', expands: false },
      { kind: 'operator', text: '|' },
      { kind: 'word', text: 'l', expands: false },
    ]);
  });

  it('quotes any word so that reading it back gives the same word', () => {
    for (const word of [...TRICKY_TEXTS, "''", "'", '\\', '"', 'a b\nc']) {
      const r = tokenize(`x ${shellQuote(word)}`);
      expect(r.ok && r.tokens[1], JSON.stringify(word)).toEqual({ kind: 'word', text: word, expands: false });
    }
  });
});
