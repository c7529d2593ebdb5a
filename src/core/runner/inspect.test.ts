import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { inspectModule } from './inspect.ts';

const example = (name: string) => new Uint8Array(readFileSync(new URL(`../../../public/examples/${name}.wasm`, import.meta.url)));

describe('inspecting a module before it runs', () => {
  it('names its hash, its WASI calls and that it is a command', async () => {
    const stages: string[] = [];
    const r = await inspectModule(example('hello'), (s) => stages.push(s));
    expect(stages).toEqual(['hashing', 'compiling']);
    if (!r.ok) throw new Error(r.message);
    expect(r.inspection.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.inspection.isCommand).toBe(true);
    expect(r.inspection.wasiCalls).toContain('fd_write');
    expect(r.inspection.unsupported).toEqual([]);
  });

  it('says what a module needs that the sandbox does not provide, and when it is no command', async () => {
    const wabt = await wabtInit();
    const bytes = wabt.parseWat('t.wat', '(module (import "env" "now" (func)) (func (export "main")))').toBinary({}).buffer;
    const r = await inspectModule(new Uint8Array(bytes));
    if (!r.ok) throw new Error(r.message);
    expect(r.inspection.isCommand).toBe(false);
    expect(r.inspection.unsupported).toEqual(['env.now (function)']);
  });

  it('refuses bytes that are not WebAssembly with the engine\'s reason', async () => {
    const r = await inspectModule(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^not a valid WebAssembly module: /);
  });
});
