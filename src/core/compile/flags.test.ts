import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRequest } from './build.ts';
import { countDiagnostics, parseDiagnostics, utf16Column } from './diagnostics.ts';
import { checkFlags, commandLine, compilerArgv, defaultFlags, languageOf, outputName, splitFlags } from './flags.ts';
import { CLANG_VERSION, WABT_VERSION } from './toolchain.ts';

describe('build flags', () => {
  it('make the command line a person would type', () => {
    expect(commandLine('hello.c', defaultFlags('c'))).toBe('clang --target=wasm32-wasip1 -O2 -std=gnu17 -fno-color-diagnostics -Wall -o hello.wasm hello.c');
    expect(compilerArgv('prog.cpp', { ...defaultFlags('c++', '-O0'), extra: [] })).toEqual([
      'clang++', '--target=wasm32-wasip1', '-O0', '-std=gnu++17', '-fno-color-diagnostics', '-fno-exceptions', '-o', 'prog.wasm', 'prog.cpp',
    ]);
    expect(commandLine('net.wat', defaultFlags('wat'))).toBe('wat2wasm net.wat -o net.wasm');
    expect(outputName('a.b.c')).toBe('a.b.wasm');
  });

  it('know a language by its extension', () => {
    expect(['x.c', 'x.cc', 'x.CPP', 'x.cxx', 'x.wat', 'x.wasm', 'x'].map(languageOf)).toEqual(['c', 'c++', 'c++', 'c++', 'wat', null, null]);
  });

  it('accept warnings, defines, code generation and linker flags; refuse anything that names another output, input or target', () => {
    const ok = ['-Wall', '-Wno-unused', '-DN=3', '-UNDEBUG', '-fno-builtin', '-mbulk-memory', '-g', '-s', '-Wl,--stack-first', '-Wl,-z,stack-size=8388608'];
    expect(checkFlags({ ...defaultFlags('c'), extra: ok })).toEqual({ ok: true, flags: { ...defaultFlags('c'), extra: ok } });
    for (const bad of ['-o', '-oevil', '--target=x86_64', '-target', '--sysroot=/', '-I/etc', '-include/etc/passwd', '-###', '-x', 'file.c', '-W', '-D', '-Wall -o x', '@args']) {
      const r = checkFlags({ ...defaultFlags('c'), extra: [bad] });
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^flags\.extra\.0: expected a warning/);
    }
    expect(checkFlags({ ...defaultFlags('c'), standard: 'c++17' })).toEqual({ ok: false, message: 'flags.standard: expected one of c99, c11, c17, c23, gnu99, gnu11, gnu17, gnu23 for c' });
    expect(checkFlags({ ...defaultFlags('c'), optimization: '-O9' }).ok).toBe(false);
    expect(checkFlags({ ...defaultFlags('c'), extra: Array(17).fill('-Wall') }).ok).toBe(false);
    expect(checkFlags({ ...defaultFlags('c'), more: 1 }).ok).toBe(false);
    expect(splitFlags('  -Wall   -DX=1 ')).toEqual(['-Wall', '-DX=1']);
  });

  it('refuse a request whose file name is not a plain source name of its language', () => {
    expect(checkRequest({ fileName: 'hello.c', text: '', flags: defaultFlags('c') })).toBeNull();
    expect(checkRequest({ fileName: 'hello.cpp', text: '', flags: defaultFlags('c') })).toBe('hello.cpp is not a c file name (expected .c)');
    expect(checkRequest({ fileName: 'hello.c', text: '', flags: defaultFlags('wat') })).toBe('hello.c is not a wat file name (expected .wat)');
    expect(checkRequest({ fileName: 'hello.c', text: '', flags: defaultFlags('c++') })).toBeNull();
    expect(compilerArgv('hello.c', defaultFlags('c++')).slice(-3)).toEqual(['-x', 'c++', 'hello.c']);
    expect(checkRequest({ fileName: '../etc/x.c', text: '', flags: defaultFlags('c') })).toMatch(/not a plain source file name/);
    expect(checkRequest({ fileName: '-o.c', text: '', flags: defaultFlags('c') })).toMatch(/not a plain source file name/);
  });
});

describe('compiler messages', () => {
  const source = 'int main(void) {\n  char *s = "héllo"; return y;\n}\n';
  const log = [
    'prog.c:2:30: error: use of undeclared identifier \'y\'',
    '    2 |   char *s = "héllo"; return y;',
    '      |                             ^',
    'prog.c:2:9: warning: unused variable \'s\' [-Wunused-variable]',
    '/usr/include/stdio.h:10:1: note: declared here',
    'wasm-ld: error: undefined symbol: frobnicate',
    'clang: error: linker command failed with exit code 1 (use -v to see invocation)',
    '1 error generated.',
  ].join('\n');

  it('become diagnostics at their line and column (in UTF-16 units, as an editor counts)', () => {
    expect(parseDiagnostics(log, 'prog.c', source)).toEqual([
      { severity: 'error', line: 2, column: 29, message: 'use of undeclared identifier \'y\'' },
      { severity: 'warning', line: 2, column: 9, message: 'unused variable \'s\' [-Wunused-variable]' },
      { severity: 'note', line: null, column: null, message: '/usr/include/stdio.h:10:1: declared here' },
      { severity: 'error', line: null, column: null, message: 'undefined symbol: frobnicate' },
      { severity: 'error', line: null, column: null, message: 'linker command failed with exit code 1 (use -v to see invocation)' },
    ]);
    expect(countDiagnostics(parseDiagnostics(log, 'prog.c', source))).toBe('3 errors, 1 warning');
    expect(utf16Column('"héllo"; y', 11)).toBe(10);
  });

  it('read wabt\'s messages the same way', () => {
    const wat = 'parseWat failed:\nnet.wat:2:4: error: unexpected token "fanc", expected a module field.\n  (fanc))\n   ^^^^\n';
    expect(parseDiagnostics(wat, 'net.wat', '(module\n  (fanc))\n')).toEqual([
      { severity: 'error', line: 2, column: 4, message: 'unexpected token "fanc", expected a module field.' },
    ]);
  });
});

describe('the pinned compilers', () => {
  it('are the versions package.json pins, exactly', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@yowasp/clang']).toBe(CLANG_VERSION);
    expect(pkg.dependencies.wabt).toBe(WABT_VERSION);
    expect(JSON.parse(readFileSync('node_modules/@yowasp/clang/package.json', 'utf8')).version).toBe(CLANG_VERSION);
  });
});
