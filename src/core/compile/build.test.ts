/** Builds with the real compilers (in Node, as the CLI does), and runs what they build. */
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../policy/index.ts';
import { Engine } from '../runner/engine.ts';
import { sha256Hex } from '../util/hash.ts';
import { spawnNodeWorker } from '../runner/node/spawn-node.ts';
import { buildSource, type BuildResult } from './build.ts';
import { defaultFlags } from './flags.ts';
import { COMPILER_ID, toolchain } from './toolchain.ts';

const tools = toolchain();
const engine = new Engine(spawnNodeWorker, { prewarm: true });
afterAll(() => engine.dispose());

const HELLO = '#include <stdio.h>\n\nint main(void) {\n  printf("built here: %d\\n", 6 * 7);\n  return 0;\n}\n';

async function runModule(result: BuildResult, args: string[] = []): Promise<{ stdout: string; exit: number }> {
  if (!result.ok) throw new Error(result.message);
  const report = await engine.run({ module: result.wasm, moduleName: result.name, config: parseDocument({ args }) }).result;
  if (!report.ok) throw new Error(report.error.message);
  return { stdout: report.result.stdout, exit: report.result.exit_code };
}

describe('building C in Node', () => {
  it('builds a program that runs under the engine, and names its hash and compiler', async () => {
    const built = await buildSource(tools, { fileName: 'hello.c', text: HELLO, flags: defaultFlags('c') });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.name).toBe('hello.wasm');
    expect(built.sha256).toBe(await sha256Hex(built.wasm));
    expect(built.compiler).toBe(COMPILER_ID);
    expect(built.diagnostics).toEqual([]);
    expect(await runModule(built)).toEqual({ stdout: 'built here: 42\n', exit: 0 });
  });

  it('gives the same bytes for the same source, flags and compiler, and other bytes for other flags', async () => {
    const request = { fileName: 'hello.c', text: HELLO, flags: defaultFlags('c') };
    const [a, b] = [await buildSource(tools, request), await buildSource(tools, request)];
    const o0 = await buildSource(tools, { ...request, flags: defaultFlags('c', '-O0') });
    if (!a.ok || !b.ok || !o0.ok) throw new Error('a build failed');
    expect(Buffer.from(b.wasm).equals(Buffer.from(a.wasm))).toBe(true);
    expect(b.sha256).toBe(a.sha256);
    expect(o0.sha256).not.toBe(a.sha256);
    expect(await runModule(o0)).toEqual({ stdout: 'built here: 42\n', exit: 0 });
  });

  it('reports a compile error at its line and column, and builds nothing', async () => {
    const text = '#include <stdio.h>\n\nint main(void) {\n  printf("%d\\n", missing);\n  return 0;\n}\n';
    const built = await buildSource(tools, { fileName: 'broken.c', text, flags: defaultFlags('c') });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.kind).toBe('compile_error');
    expect(built.diagnostics).toEqual([{ severity: 'error', line: 4, column: 18, message: 'use of undeclared identifier \'missing\'' }]);
    expect(built.message).toBe('broken.c did not build: 1 error (line 4, column 18: use of undeclared identifier \'missing\')');
    expect(built.log).toContain('broken.c:4:18: error');
  });

  it('keeps warnings of a build that succeeds', async () => {
    const built = await buildSource(tools, { fileName: 'warn.c', text: 'int main(void) {\n  int unused;\n  return 0;\n}\n', flags: defaultFlags('c') });
    expect(built.ok && built.diagnostics).toEqual([{ severity: 'warning', line: 2, column: 7, message: 'unused variable \'unused\' [-Wunused-variable]' }]);
  });

  it('reports a link error without a line', async () => {
    const built = await buildSource(tools, { fileName: 'link.c', text: 'void absent(void);\nint main(void) { absent(); return 0; }\n', flags: defaultFlags('c') });
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message])).toContainEqual([null, expect.stringContaining('undefined symbol: absent')]);
  });

  it('refuses bad flags before running any compiler', async () => {
    const built = await buildSource(tools, { fileName: 'hello.c', text: HELLO, flags: { ...defaultFlags('c'), extra: ['-o/etc/passwd'] } });
    expect(built).toMatchObject({ ok: false, kind: 'bad_request', message: expect.stringContaining('flags.extra.0') });
  });
});

describe('building C++ and WebAssembly text', () => {
  // <iostream> builds too, but takes tens of seconds on a busy 2-core machine; <vector> shows the library.
  it('builds C++ with the standard library', async () => {
    const text = '#include <cstdio>\n#include <vector>\nint main(int argc, char **) {\n  std::vector<int> v{1, 2, 3};\n  int sum = 0;\n  for (int x : v) sum += x;\n  std::printf("sum %d args %d\\n", sum, argc - 1);\n}\n';
    const built = await buildSource(tools, { fileName: 'sum.cpp', text, flags: defaultFlags('c++') });
    expect(await runModule(built, ['a', 'b'])).toEqual({ stdout: 'sum 6 args 2\n', exit: 0 });
  });

  it('assembles WebAssembly text, and reports a mistake at its line', async () => {
    const text = '(module\n  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))\n  (memory (export "memory") 1)\n  (func (export "_start") (call $exit (i32.const 3))))\n';
    const built = await buildSource(tools, { fileName: 'exit.wat', text, flags: defaultFlags('wat') });
    expect(await runModule(built)).toEqual({ stdout: '', exit: 3 });
    const broken = await buildSource(tools, { fileName: 'exit.wat', text: text.replace('(call $exit', '(call $nowhere'), flags: defaultFlags('wat') });
    expect(!broken.ok && broken.diagnostics[0]).toMatchObject({ severity: 'error', line: 4 });
  });
});
