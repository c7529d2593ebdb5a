/** Turning module bytes into what a run executes. */

export type Compiled =
  | { ok: true; module: WebAssembly.Module; instrumented: { inputBytes: number; outputBytes: number; millis: number } | null }
  | { ok: false; message: string };

export async function compileForRun(bytes: Uint8Array, _fuel: bigint | null, _memoryLimitPages: number | null): Promise<Compiled> {
  try {
    const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    return { ok: true, module, instrumented: null };
  } catch (e) {
    return { ok: false, message: `sandbox execution failed: WASM load: ${(e as Error).message}` };
  }
}

export function readFuelState(instance: WebAssembly.Instance, budget: bigint): { consumed: bigint; exhausted: boolean } | null {
  const remaining = instance.exports.__kavach_fuel_remaining as WebAssembly.Global | undefined;
  const exhausted = instance.exports.__kavach_fuel_exhausted as WebAssembly.Global | undefined;
  if (remaining === undefined || exhausted === undefined) return null;
  const left = remaining.value as bigint;
  return { consumed: left >= 0n ? budget - left : budget, exhausted: exhausted.value === 1 };
}
