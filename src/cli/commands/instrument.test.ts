import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import type { CliIO } from '../io.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../io.ts';

const root = new URL('../../../', import.meta.url).pathname;
function fakeIO() {
  const err: string[] = [];
  const io: CliIO = { stdout: () => {}, stderr: (t) => err.push(String(t)), readStdin: async () => new Uint8Array(0), cwd: root, env: {} };
  return { io, stderr: () => err.join('') };
}

describe('kavach instrument', () => {
  it('writes a metered copy that runs unchanged under node:wasi and stops when its fuel runs out', async () => {
    const out = join(tempDir('kavach-instr-'), 'loop.metered.wasm');
    const t = fakeIO();
    expect(await main(['instrument', 'public/examples/loop.wasm', '-o', out, '--fuel', '2000000', '--max-memory-mb', '8'], t.io)).toBe(EXIT_OK);
    expect(t.stderr()).toMatch(/loop\.wasm: \d+ -> \d+ bytes/);
    const module = await WebAssembly.compile(readFileSync(out));
    const wasi = new WASI({ version: 'preview1', returnOnExit: true, stdout: 2 });
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
    expect(() => wasi.start(instance)).toThrow(/unreachable/);
    expect((instance.exports.__kavach_fuel_exhausted as WebAssembly.Global).value).toBe(1);
  });

  it('refuses bad input with a clear message', async () => {
    const t = fakeIO();
    expect(await main(['instrument', 'package.json', '-o', '/tmp/x.wasm'], t.io)).toBe(EXIT_BAD_INPUT);
    expect(t.stderr()).toMatch(/^kavach instrument: /);
    const u = fakeIO();
    expect(await main(['instrument', 'public/examples/hello.wasm'], u.io)).toBe(EXIT_BAD_INPUT);
    expect(u.stderr()).toContain('usage: kavach instrument');
  });
});
