/**
 * What a module is before it runs: its hash, what it imports and exports, whether it is a WASI
 * command the sandbox can run, and what it needs that the sandbox does not provide. Compiling is
 * asynchronous (engines compile off the calling thread) and hashing uses WebCrypto, so a large
 * module does not freeze the page.
 */
import { isWasiCall, WASI_MODULE } from '../wasi/calls.ts';
import { sha256Hex } from '../util/hash.ts';

export interface ModuleInspection {
  sha256: string;
  size: number;
  imports: { module: string; name: string; kind: string }[];
  exports: { name: string; kind: string }[];
  /** Exports `_start` (a function) and a memory, or imports one: `kavach run` can start it. */
  isCommand: boolean;
  /** The WASI calls it imports, in import order. */
  wasiCalls: string[];
  /** Imports the sandbox does not provide, as "module.name (kind)". */
  unsupported: string[];
}

export type InspectStage = 'hashing' | 'compiling';

export type InspectResult = { ok: true; inspection: ModuleInspection } | { ok: false; message: string };

export async function inspectModule(bytes: Uint8Array, onStage: (stage: InspectStage) => void = () => {}): Promise<InspectResult> {
  onStage('hashing');
  const sha256 = await sha256Hex(bytes);
  onStage('compiling');
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    return { ok: false, message: `not a valid WebAssembly module: ${(e as Error).message}` };
  }
  const imports = WebAssembly.Module.imports(module).map((i) => ({ module: i.module, name: i.name, kind: i.kind }));
  const exports = WebAssembly.Module.exports(module).map((e) => ({ name: e.name, kind: e.kind }));
  const wasiCalls = imports.filter((i) => i.module === WASI_MODULE && i.kind === 'function' && isWasiCall(i.name)).map((i) => i.name);
  const unsupported = imports
    .filter((i) => i.kind !== 'memory' && !(i.module === WASI_MODULE && i.kind === 'function' && isWasiCall(i.name)))
    .map((i) => `${i.module}.${i.name} (${i.kind})`);
  const hasMemory = exports.some((e) => e.kind === 'memory') || imports.some((i) => i.kind === 'memory');
  const isCommand = exports.some((e) => e.name === '_start' && e.kind === 'function') && hasMemory;
  return { ok: true, inspection: { sha256, size: bytes.length, imports, exports, isCommand, wasiCalls, unsupported } };
}
