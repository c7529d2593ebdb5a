import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/util/hash.ts';
import { REPO, cli, cliProcess, hasStackTrace } from '../../testing/cli/host-fixture.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../io.ts';

const PROG = '#include <stdio.h>\n\nint main(int argc, char **argv) {\n  printf("hello %s\\n", argc > 1 ? argv[1] : "nobody");\n  return 3;\n}\n';
const BROKEN = 'int main(void) {\n  return y;\n}\n';

function sources(): string {
  const dir = tempDir('kavach-build-');
  writeFileSync(join(dir, 'prog.c'), PROG);
  writeFileSync(join(dir, 'broken.c'), BROKEN);
  writeFileSync(join(dir, 'exit.wat'), '(module\n  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))\n  (memory (export "memory") 1)\n  (func (export "_start") (call $exit (i32.const 5))))\n');
  return dir;
}

describe('kavach build', () => {
  it('writes a module that runs, names its hash, and gives the same bytes again', async () => {
    const dir = sources();
    const r = await cli(['build', 'prog.c', '-o', 'prog.wasm', '-O2'], { cwd: dir });
    expect(r.code).toBe(EXIT_OK);
    const bytes = readFileSync(join(dir, 'prog.wasm'));
    expect(r.err).toBe(`kavach: built prog.wasm (${bytes.length.toLocaleString('en-US')} bytes, sha256 ${await sha256Hex(bytes)}) with clang 22.0.0-git20542-10 (@yowasp/clang) in ${/in (\d+\.\d) s/.exec(r.err)![1]} s\n`);
    const again = await cli(['build', 'prog.c', '-o', 'again.wasm', '-O2'], { cwd: dir });
    expect(again.code).toBe(EXIT_OK);
    expect(readFileSync(join(dir, 'again.wasm')).equals(bytes)).toBe(true);
    const run = await cli(['run', join(dir, 'prog.wasm'), 'there']);
    expect([run.code, run.out]).toEqual([3, 'hello there\n']);
  });

  it('prints the compiler\'s messages, then one line, exits 2 and writes nothing when the source does not build', async () => {
    const dir = sources();
    const r = await cli(['build', 'broken.c'], { cwd: dir });
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toBe("broken.c:2:10: error: use of undeclared identifier 'y'\n    2 |   return y;\n      |          ^\n1 error generated.\n" +
      "kavach build: broken.c did not build: 1 error (line 2, column 10: use of undeclared identifier 'y')\n");
    expect(existsSync(join(dir, 'broken.wasm'))).toBe(false);
  });

  it.each([
    ['no source', ['build'], 'kavach build: no source file given\n'],
    ['a module instead of a source', ['build', 'public/examples/hello.wasm'], 'kavach build: hello.wasm: not a source file this can build (expected .c, .cc, .cpp, .cxx or .wat)\n'],
    ['a missing source', ['build', 'missing.c'], /^kavach build: cannot read source missing\.c: ENOENT/],
    ['an unknown option', ['build', '--frobnicate', 'prog.c'], 'kavach build: unknown option --frobnicate\n'],
    ['a standard of another language', ['build', '--std=c++17', 'prog.c'], 'kavach build: --std: expected one of c99, c11, c17, c23, gnu99, gnu11, gnu17, gnu23 for c\n'],
    ['compiler options for WebAssembly text', ['build', '-O2', 'exit.wat'], 'kavach build: exit.wat: WebAssembly text takes no compiler options\n'],
    ['compiler options for a module to run', ['run', '-O2', 'public/examples/hello.wasm'], 'kavach run: compiler options (-O2) apply to a C, C++ or WebAssembly text source, not to public/examples/hello.wasm\n'],
  ] as const)('refuses %s in one line, exit 2', async (_label, argv, message) => {
    const dir = sources();
    const r = await cli([...argv].map((a) => (a.startsWith('public/') ? join(REPO, a) : a)), { cwd: dir });
    expect(r.code).toBe(EXIT_BAD_INPUT);
    const err = r.err.replaceAll(join(REPO, '/'), '');
    if (typeof message === 'string') expect(err).toBe(message);
    else expect(err).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(hasStackTrace(r.err)).toBe(false);
  });
});

describe('kavach run prog.c', () => {
  it('builds, then runs under the policy, as the installed command (its compiler loaded only then)', () => {
    const dir = sources();
    const r = cliProcess(['run', '--timeout-ms', '20000', join(dir, 'prog.c'), 'world'], { guardMs: 120_000 });
    expect(r.out).toBe('hello world\n');
    expect(r.err).toMatch(/^kavach: built prog\.wasm \([\d,]+ bytes, sha256 [0-9a-f]{64}\) with clang 22\.0\.0-git20542-10/);
    expect(r.code).toBe(3);
    const wat = cliProcess([join(dir, 'exit.wat')]);
    expect(wat.code).toBe(5);
  });

  it('keeps the compiler out of the CLI\'s own JavaScript: a .wasm run never loads it', () => {
    const built = readFileSync(join(REPO, 'dist-cli/cli.cjs'), 'utf8');
    // Imported only by a build, through the loader's importer (scripts/build-cli.mjs): the
    // compiler is not part of the bundle.
    expect(built).toContain('globalThis[Symbol.for("kavach.import")]("@yowasp/clang")');
    expect(built).not.toContain('llvm.core');
    expect(built).not.toContain('WabtModule');
  });
});
