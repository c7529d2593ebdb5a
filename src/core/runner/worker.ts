/**
 * The code that runs inside a run's worker (Web Worker or worker_threads, same code): compile,
 * check imports, build the WASI world from the plan, run `_start`, classify how it ended, and
 * stream output and audit entries to the host as it goes.
 */
import { WASIProcExit } from '@bjorn3/browser_wasi_shim';
import { CallLog } from '../wasi/call-log.ts';
import { isWasiCall, WASI_MODULE } from '../wasi/calls.ts';
import { DirFd, RIGHTS_DIR_BASE, RIGHTS_FILE_BASE, RIGHTS_MUTATING, fixedStdin } from '../wasi/fds.ts';
import { liveStdinSource } from './live-stdin.ts';
import { createSyscalls, type CallGate, type Clocks } from '../wasi/syscalls.ts';
import { buildTree, readTree, type MountEntry } from '../wasi/tree.ts';
import { FsBudget, formatSize } from '../wasi/budget.ts';
import type { Outcome } from './outcome.ts';
import { compileForRun, readFuelState } from './prepare.ts';
import { FUEL_REMAINING_EXPORT } from '../instrument/index.ts';
import { SLEEP_NS_PER_FUEL, type Meter } from '../wasi/cost.ts';
import type { HostMessage, RunPlan, WorkerFinal, WorkerMessage } from './protocol.ts';
import { createOutputStream } from './output.ts';
import { virtualWorld } from './determinism.ts';
import { StreamGate } from './stream-gate.ts';
import { compileFilter } from '../filter/index.ts';
import { Redactor } from '../secrets/index.ts';

export interface WorkerPort {
  post(message: WorkerMessage, transfer?: Transferable[]): void;
}

/**
 * Park this thread for good. The run has been reported ('done'), and the host terminates a worker
 * as soon as it hears that; until then no guest code may run, whatever handlers the guest has
 * (a module built with exception handling can catch a JavaScript exception, never this).
 */
function stopHere(): never {
  if (typeof SharedArrayBuffer === 'function') {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) Atomics.wait(cell, 0, 0);
  }
  // Without shared memory (a page that is not cross-origin isolated) nothing can park a thread:
  // spin, for the few milliseconds until the host's terminate() lands.
  for (;;) { /* the host terminates this worker */ }
}

const PAGE = 65536;
/** Audit entries streamed while the run goes on; the rest of the limit holds the last ones. */
const LIVE_AUDIT_ENTRIES = 1000;
/** Past the live entries, audit entries read the clock every this many calls (see CallLog). */
const CLOCK_EVERY = 16;

export async function runInWorker(message: HostMessage, port: WorkerPort): Promise<void> {
  const { plan } = message;
  const fail = (kind: 'ExecFailed' | 'CreationFailed', message: string) => port.post({ type: 'failed', error: { kind, message } });

  let module = message.module;
  let facts = message.facts;
  if (module === null) {
    const bytes = message.bytes;
    if (bytes === null) return fail('ExecFailed', 'sandbox execution failed: WASM load: no module given');
    // Once compiled, the original and the instrumented copy are garbage: only the module stays.
    (message as { bytes: Uint8Array | null }).bytes = null;
    const compiled = await compileForRun(bytes, plan.fuel, plan.memoryLimitPages);
    if (!compiled.ok) return fail('ExecFailed', compiled.message);
    module = compiled.module;
    facts = {
      imports: WebAssembly.Module.imports(module).map((i) => ({ module: i.module, name: i.name, kind: i.kind })),
      exports: WebAssembly.Module.exports(module).map((e) => ({ name: e.name, kind: e.kind })),
      instrumented: compiled.instrumented,
      memory: compiled.memory,
      startExport: compiled.startExport,
    };
    port.post({ type: 'compiled', module, facts });
  }
  if (facts === null) return fail('ExecFailed', 'sandbox execution failed: WASM load: module facts missing');

  const importProblem = checkImports(module);
  if (importProblem !== null) return fail('ExecFailed', importProblem);
  if (!WebAssembly.Module.exports(module).some((e) => e.name === '_start' && e.kind === 'function')) {
    return fail('ExecFailed', 'sandbox execution failed: WASM module has no _start function');
  }

  let finished = false;
  const started = performance.now();
  port.post({ type: 'running', at: performance.timeOrigin + started });
  const deadline = plan.timeoutMs > 0 ? started + plan.timeoutMs : Infinity;
  const virtual = plan.deterministic === null ? null : virtualWorld(plan.deterministic);
  const clocks = virtual?.clocks ?? makeClocks(started);
  const elapsedMs = virtual?.nowMs ?? (() => performance.now() - started);
  // The instance's fuel counter once it exists; host work is charged to it (see wasi/cost.ts).
  let fuelGlobal: WebAssembly.Global | null = null;
  let instance: WebAssembly.Instance | null = null;
  let importedMemory: WebAssembly.Memory | null = null;
  /** Ends the run from inside a host call: report it, then never return to the guest. */
  const halt = (outcome: Outcome): never => {
    finish(outcome);
    return stopHere();
  };
  const meter: Meter | null = plan.fuel === null ? null : {
    charge(fuel) {
      if (fuelGlobal === null) return;
      const left = (fuelGlobal.value as bigint) - BigInt(fuel);
      fuelGlobal.value = left;
      if (left < 0n) halt({ kind: 'fuel_exhausted', budget: plan.fuel as bigint });
    },
  };
  const redactor = plan.redact.length > 0 ? new Redactor(plan.redact) : null;
  const gate = new StreamGate(plan.externalization, plan.maxOutputBytes);
  const output = createOutputStream(
    plan,
    redactor,
    gate,
    (stream, chunk) => port.post({ type: 'output', stream, chunk }, [chunk.buffer as ArrayBuffer]),
    (stream) => port.post({ type: 'truncated', stream }),
  );
  const audit = new CallLog({
    limit: plan.auditLimit,
    live: LIVE_AUDIT_ENTRIES,
    now: elapsedMs,
    // A virtual clock costs nothing to read, and deterministic runs want every entry exact.
    clockEvery: virtual === null ? CLOCK_EVERY : 1,
    redact: redactor === null ? null : (text) => redactor.redactText(text),
    send: (events) => port.post({ type: 'audit', events }),
  });
  const filter: CallGate | null = compileFilter(plan.policy);
  const now = clocks.realtime();
  const budget = new FsBudget(plan.filesystem);
  const trees = plan.mounts.map((m) => ({ info: m.info, root: buildTree(m.info, m.entries, now, budget) }));
  if (budget.bytes > budget.limits.maxBytes || budget.inodes > budget.limits.maxInodes) {
    return fail('CreationFailed', `sandbox creation failed: the mounts' initial files take ${formatSize(budget.bytes)} in ${budget.inodes} entries, more than the filesystem budget of ${formatSize(budget.limits.maxBytes)} and ${budget.limits.maxInodes} entries (filesystem.max_bytes, filesystem.max_inodes)`);
  }
  const syscalls = createSyscalls({
    args: plan.args,
    env: plan.env,
    stdin: message.stdinRing === null ? fixedStdin(plan.stdin)
      : liveStdinSource(message.stdinRing, plan.stdin, deadline, () => halt({ kind: 'timeout', afterMs: plan.timeoutMs })),
    stdout: (bytes) => output.write('stdout', bytes),
    stderr: (bytes) => output.write('stderr', bytes),
    budget,
    preopens: trees.map((t) => ({
      guestPath: t.info.path,
      // The inheriting rights stay whole even on a read-only mount: libc intersects what it asks
      // for with them, and an open for writing must reach us to be refused with EROFS (as Linux
      // refuses it) rather than quietly succeed as a read-only descriptor.
      fd: (ctx) => new DirFd(t.root, t.info.path, ctx, RIGHTS_DIR_BASE & (t.info.readOnly ? ~RIGHTS_MUTATING : ~0n),
        RIGHTS_DIR_BASE | RIGHTS_FILE_BASE, t.info.path),
    })),
    clocks,
    random: virtual?.random ?? fillRandom,
    // A wait never outlives the deadline. Without one (fuel is then the only limit) it is charged
    // before it starts, 1 fuel per ns asked for (see wasi/cost.ts): either way the run ends.
    sleep: (ns) => {
      if (plan.timeoutMs === 0) meter?.charge(ns * SLEEP_NS_PER_FUEL);
      if (virtual !== null) virtual.sleep(ns);
      else if (!sleepUntil(Math.min(performance.now() + Number(ns) / 1e6, deadline), deadline)) halt({ kind: 'timeout', afterMs: plan.timeoutMs });
    },
    gate: filter,
    meter,
    exit: (code) => halt({ kind: 'exit', code }),
    audit: plan.auditCalls ? audit : null,
  });

  const memoryImport = WebAssembly.Module.imports(module).find((i) => i.kind === 'memory');
  const imports: WebAssembly.Imports = { [WASI_MODULE]: syscalls.imports as unknown as WebAssembly.ModuleImports };
  if (memoryImport !== undefined) {
    // An imported memory is ours to make: it gets the module's declared minimum and the cap.
    const declared = facts.memory;
    importedMemory = new WebAssembly.Memory({ initial: declared?.declaredMinPages ?? 1, maximum: declared?.maxPages ?? 65536 });
    imports[memoryImport.module] = { ...(imports[memoryImport.module] ?? {}), [memoryImport.name]: importedMemory };
  }

  let outcome: Outcome;
  try {
    // Synchronously: the module is compiled already, and a worker may instantiate any size at
    // once (browsers limit only their page thread); the async form costs a task hop per run.
    instance = new WebAssembly.Instance(module, imports);
    const counter = instance.exports[FUEL_REMAINING_EXPORT];
    if (plan.fuel !== null && counter instanceof WebAssembly.Global) fuelGlobal = counter;
    const memory = (instance.exports.memory as WebAssembly.Memory | undefined) ?? importedMemory;
    if (memory === null) return fail('ExecFailed', 'sandbox execution failed: WASM instantiate: the module neither exports nor imports a memory');
    // A module that imports its memory sees the one we made; WASI marshals through it either way.
    const exports = { memory, _start: instance.exports._start };
    if (facts.startExport !== null) {
      // The module's start function, deferred past instantiation (see prepare.ts): it runs first,
      // with WASI already able to reach memory, and a failure there ends the run as a trap would.
      (syscalls.wasi as unknown as { inst: unknown }).inst = { exports };
      (instance.exports[facts.startExport] as () => void)();
    }
    const code = syscalls.wasi.start({ exports } as never);
    outcome = { kind: 'exit', code };
  } catch (e) {
    if (instance === null && !(e instanceof WebAssembly.RuntimeError) && !(e instanceof RangeError) && !(e instanceof WASIProcExit)) {
      return fail('ExecFailed', `sandbox execution failed: WASM instantiate: ${(e as Error).message}`);
    }
    outcome = classify(e, instance, importedMemory, plan);
  }
  finish(outcome);

  /** Report the run's end, once: from here on, nothing the guest does reaches the host. */
  function finish(end: Outcome): void {
    if (finished) return;
    finished = true;
    const durationMs = performance.now() - started;
    output.close();
    audit.finish();
    const memory = (instance?.exports.memory as WebAssembly.Memory | undefined) ?? importedMemory;
    const fuelState = instance !== null && plan.fuel !== null ? readFuelState(instance, plan.fuel) : null;
    const final: WorkerFinal = {
      outcome: end,
      durationMs,
      fuelConsumed: fuelState?.consumed ?? null,
      peakMemoryBytes: memory?.buffer.byteLength ?? 0,
      memoryLimitBytes: plan.memoryLimitPages === null ? null : plan.memoryLimitPages * PAGE,
      mounts: trees.filter((t) => !t.info.readOnly).map((t) => ({ path: t.info.path, entries: redactEntries(redactor, readTree(t.root, plan.mountReport)) })),
      auditDropped: audit.dropped,
      gate: gate.report(),
    };
    // The files' bytes are fresh copies (readTree): handed over, not copied again.
    const transfer = new Set(final.mounts.flatMap((m) => m.entries.flatMap((e) => (e.data === null ? [] : [e.data.buffer as ArrayBuffer]))));
    port.post({ type: 'done', final }, [...transfer]);
  }
}

/** How a run that threw ended (exported for its tests). */
export function classify(e: unknown, instance: WebAssembly.Instance | null, importedMemory: WebAssembly.Memory | null, plan: RunPlan): Outcome {
  if (e instanceof WASIProcExit) return { kind: 'exit', code: e.code };
  // The flag first: a failed fuel check sets it before calling the out-of-fuel function, and that
  // call can itself overflow the stack when the check fails at the very limit of the stack.
  if (instance !== null && plan.fuel !== null && readFuelState(instance, plan.fuel)?.exhausted) {
    return { kind: 'fuel_exhausted', budget: plan.fuel };
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { kind: 'stack_overflow', message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  const memory = (instance?.exports.memory as WebAssembly.Memory | undefined) ?? importedMemory;
  if (plan.memoryLimitPages !== null && memory !== null && memory !== undefined
    && memory.buffer.byteLength + PAGE > plan.memoryLimitPages * PAGE) {
    return { kind: 'memory_limit', limitBytes: plan.memoryLimitPages * PAGE, message };
  }
  return { kind: 'trap', message };
}

/**
 * Files leave the sandbox too: a secret the guest put in a file, a file's or directory's name or
 * a link's target is redacted there. A file still where it was copied in from keeps its name:
 * that name came from the host, not from the guest.
 */
function redactEntries(redactor: Redactor | null, entries: MountEntry[]): MountEntry[] {
  if (redactor === null) return entries;
  return entries.map((e) => ({
    ...e,
    path: e.origin !== undefined && e.origin === e.path ? e.path : redactor.redactText(e.path),
    data: e.data === null ? null : redactor.redactBytes(e.data),
    ...(e.symlink !== undefined ? { symlink: redactor.redactText(e.symlink) } : {}),
  }));
}

/** Every import must be a WASI preview1 function or a memory; name the ones that are not. */
function checkImports(module: WebAssembly.Module): string | null {
  const bad = WebAssembly.Module.imports(module).filter((i) =>
    i.kind === 'memory' ? false : !(i.module === WASI_MODULE && i.kind === 'function' && isWasiCall(i.name)));
  if (bad.length === 0) return null;
  const names = bad.map((i) => `${i.module}.${i.name} (${i.kind})`).join(', ');
  return `sandbox execution failed: WASM instantiate: the module imports ${names}, which the sandbox does not provide: only ${WASI_MODULE} functions and a memory can be imported`;
}

function makeClocks(started: number): Clocks {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  // Read once: it does not change, and in Node reading it is a call through several getters.
  const origin = performance.timeOrigin;
  return {
    realtime: () => BigInt(Math.round((origin + performance.now()) * 1e6)),
    realtimeAt: (elapsedMs) => BigInt(Math.round((origin + started + elapsedMs) * 1e6)),
    monotonic: () => BigInt(Math.round(performance.now() * 1e6)),
    // The guest is the only thing this worker runs, so its wall time is its CPU time.
    cputime: () => BigInt(Math.round((performance.now() - started) * 1e6)),
    // Browsers coarsen performance.now() to 100 us unless the page is cross-origin isolated.
    resolution: isolated === false ? 100_000n : 1_000n,
  };
}

function fillRandom(into: Uint8Array): void {
  const MAX = 65536; // getRandomValues' limit per call
  for (let i = 0; i < into.length; i += MAX) {
    const part = new Uint8Array(Math.min(MAX, into.length - i));
    crypto.getRandomValues(part);
    into.set(part, i);
  }
}

const sleepCell = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;

/** Block until `until` (performance.now() ms); false when that reached the deadline (the run is over). */
function sleepUntil(until: number, deadline: number): boolean {
  for (;;) {
    const left = until - performance.now();
    if (left <= 0) break;
    // Atomics.wait parks the thread without spinning a core; it needs a SharedArrayBuffer,
    // which a page has only when cross-origin isolated. Otherwise spin, bounded by the deadline.
    if (sleepCell !== null) Atomics.wait(sleepCell, 0, 0, left);
  }
  return performance.now() < deadline;
}
