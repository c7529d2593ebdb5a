/**
 * The output gate's holdback: what it adds to the latency of ordinary output, how much of the
 * examples' output it holds back past the write that wrote it, and its throughput.
 */
import { readFileSync } from 'node:fs';
import { EXAMPLES } from '../../src/core/examples/index.ts';
import { lessonFor } from '../../src/lessons/lessons.ts';
import { Engine, parseDocument, type CallEvent, type RunResult } from '../../src/core/index.ts';
import { externalizationSchema } from '../../src/core/policy/schema.ts';
import { createOutputStream } from '../../src/core/runner/output.ts';
import { spawnNodeWorker } from '../../src/core/runner/node/spawn-node.ts';
import { StreamGate } from '../../src/core/runner/stream-gate.ts';
import { SecretStore } from '../../src/core/secrets/index.ts';
import type { Figure, Section, Suite } from '../types.ts';

type Stream = 'stdout' | 'stderr';
const GATE_ON = externalizationSchema.parse({});
const GATE_OFF = externalizationSchema.parse({ enabled: false });
const encoder = new TextEncoder();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * From the write call of one ordinary line to its chunk being sent. One gate, as in a run that
 * prints a line now and then; a fresh output stream per line, so that each write is sparse.
 */
function writeToSend(policy: typeof GATE_ON, line: string, reps: number): { times: number[]; sameCall: number } {
  const bytes = encoder.encode(line);
  const gate = new StreamGate(policy, 1 << 20);
  const times: number[] = [];
  let sameCall = 0;
  for (let i = 0; i < reps; i++) {
    let sentAt = -1;
    const output = createOutputStream({ maxOutputBytes: 1 << 30 }, null, gate, () => { sentAt = performance.now(); }, () => {});
    const t = performance.now();
    output.write('stdout', bytes);
    if (sentAt >= 0) {
      sameCall++;
      times.push((sentAt - t) * 1000);
    }
  }
  return { times, sameCall };
}

/** Run start to the arrival of the line sleep.wasm prints before it sleeps 300 ms. */
async function lineBeforeSleep(engine: Engine, gateOn: boolean, reps: number): Promise<number> {
  const module = new Uint8Array(readFileSync('public/examples/sleep.wasm'));
  const config = parseDocument({ args: ['300'], externalization: { enabled: gateOn } });
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    await pause(300); // the spare worker boots meanwhile
    const t = performance.now();
    let arrived = -1;
    const report = await engine.run({
      module, moduleName: 'sleep.wasm', config,
      onOutput: (_stream, chunk) => { if (arrived < 0 && new TextDecoder().decode(chunk).includes('sleeping')) arrived = performance.now(); },
    }).result;
    if (!report.ok || arrived < 0) throw new Error('sleep did not print its line');
    times.push(arrived - t);
  }
  return median(times);
}

async function latency(): Promise<Section> {
  const line = 'step 3 of 10: copied 42 files to /out\n';
  for (const policy of [GATE_ON, GATE_OFF]) writeToSend(policy, line, 2000); // warm up
  const on = writeToSend(GATE_ON, line, 5000);
  const off = writeToSend(GATE_OFF, line, 5000);
  const engine = new Engine(spawnNodeWorker, { prewarm: true });
  await lineBeforeSleep(engine, true, 2);
  const sleepOn = await lineBeforeSleep(engine, true, 9);
  const sleepOff = await lineBeforeSleep(engine, false, 9);
  engine.dispose();
  return {
    title: 'Output gate holdback: latency of ordinary output',
    runtime: `Node ${process.versions.node}`,
    figures: [
      { name: 'ordinary line, write call to chunk sent, gate on (median)', value: median(on.times), unit: 'µs' },
      { name: 'ordinary line, write call to chunk sent, gate on (99th percentile)', value: quantile(on.times, 0.99), unit: 'µs' },
      { name: 'ordinary line, write call to chunk sent, gate off (median)', value: median(off.times), unit: 'µs' },
      { name: 'ordinary lines sent within their own write call, gate on', value: (100 * on.sameCall) / 5000, unit: '%', target: '100', ok: on.sameCall === 5000 },
      { name: 'line printed before a 300 ms sleep: run start to its arrival, gate on', value: sleepOn, unit: 'ms', target: '< 100', ok: sleepOn < 100 },
      { name: 'line printed before a 300 ms sleep: run start to its arrival, gate off', value: sleepOff, unit: 'ms' },
    ],
  };
}

/** Each example's writes, replayed through a fresh gate: how much waited past its own write. */
async function heldOnExamples(): Promise<Section> {
  const engine = new Engine(spawnNodeWorker, { prewarm: true });
  const figures: Figure[] = [];
  const skipped: string[] = [];
  let total = 0;
  let late = 0;
  for (const example of EXAMPLES) {
    const secrets = new SecretStore();
    for (const [name, value] of Object.entries(lessonFor(example.id)?.demoSecrets ?? {})) secrets.register(name, value);
    const config = parseDocument({ ...example.policy, externalization: { enabled: false } });
    const module = new Uint8Array(readFileSync(`public/${example.wasm}`));
    const report = await engine.run({ module, moduleName: `${example.id}.wasm`, config, secrets, auditLimit: 1_000_000 }).result;
    if (!report.ok) throw new Error(`${example.id}: ${report.error.message}`);
    const writes = writesOf(report.result);
    if (typeof writes === 'string') {
      skipped.push(`${example.id} (${writes})`);
      continue;
    }
    const r = replay(writes);
    if (r.verdict !== 'pass') {
      skipped.push(`${example.id} (gate verdict ${r.verdict})`);
      continue;
    }
    total += r.bytes;
    late += r.late;
    figures.push({
      name: `${example.id}: bytes released after the write that wrote them`, value: r.bytes === 0 ? 0 : (100 * r.late) / r.bytes, unit: '%',
      note: `${r.writes} writes, ${r.bytes} bytes; ${r.heldWrites} writes left text held, at most ${r.maxHeld} bytes`,
    });
  }
  engine.dispose();
  figures.unshift({
    name: 'examples with ordinary output: bytes released after the write that wrote them', value: (100 * late) / total, unit: '%',
    note: `${total} bytes; not counted: ${skipped.join(', ')}`,
  });
  return { title: 'Output gate holdback: held output on the examples', runtime: `Node ${process.versions.node}`, figures };
}

/** The run's stdout/stderr cut as the guest's fd_write calls cut them, or why that cannot be known. */
function writesOf(r: RunResult): { stream: Stream; bytes: Uint8Array }[] | string {
  if (r.audit.dropped > 0) return 'audit entries dropped';
  const out: { stream: Stream; bytes: Uint8Array }[] = [];
  const at = { stdout: 0, stderr: 0 };
  const all = { stdout: r.stdoutBytes, stderr: r.stderrBytes };
  for (const e of r.audit.events) {
    if (e.kind !== 'call' || e.fn !== 'fd_write' || e.errnoName !== 'SUCCESS') continue;
    const stream = (e as CallEvent).args.fd === '1 (stdout)' ? 'stdout' : (e as CallEvent).args.fd === '2 (stderr)' ? 'stderr' : null;
    if (stream === null) continue;
    // The output cap may have kept only part of the last writes.
    const size = Math.min(Number((e as CallEvent).args.bytes), all[stream].length - at[stream]);
    if (size > 0) out.push({ stream, bytes: all[stream].subarray(at[stream], at[stream] + size) });
    at[stream] += size;
  }
  // Running out of fuel adds the host's "WASM fuel exhausted" line to stderr.
  if (at.stdout === all.stdout.length && (at.stderr === all.stderr.length || r.outcome.kind === 'fuel_exhausted')) return out;
  return r.outcome.kind === 'exit' ? 'redacted secrets change the lengths' : 'killed before its audit entries arrived';
}

function replay(writes: readonly { stream: Stream; bytes: Uint8Array }[]) {
  const gate = new StreamGate(GATE_ON, 1 << 20);
  const written = { stdout: 0, stderr: 0 };
  const released = { stdout: 0, stderr: 0 };
  let late = 0;
  let heldWrites = 0;
  let maxHeld = 0;
  let bytes = 0;
  for (const w of writes) {
    const before = Math.max(released[w.stream], written[w.stream]);
    written[w.stream] += w.bytes.length;
    released[w.stream] += gate.pass(w.stream, w.bytes).length;
    bytes += w.bytes.length;
    // Bytes of this write still held (the gate releases in order, and nothing was redacted).
    late += written[w.stream] - Math.max(before, released[w.stream]);
    const held = written[w.stream] - released[w.stream];
    if (held > 0) heldWrites++;
    maxHeld = Math.max(maxHeld, held);
  }
  return { writes: writes.length, bytes, late, heldWrites, maxHeld, verdict: gate.report().verdict };
}

function throughput(): Section {
  let text = '';
  for (let i = 0; text.length < 8_000_000; i++) text += `line ${i}: the quick brown fox jumps over the lazy dog, value=${i * 7} ok\n`;
  const bytes = encoder.encode(text);
  const rate = (policy: typeof GATE_ON, size: number, limit = bytes.length) => {
    const gate = new StreamGate(policy, 1 << 20);
    const t = performance.now();
    for (let at = 0; at < limit; at += size) gate.pass('stdout', bytes.subarray(at, Math.min(limit, at + size)));
    gate.pass('stdout', new Uint8Array(0), true);
    return limit / 1e6 / ((performance.now() - t) / 1000);
  };
  const figures: Figure[] = [];
  for (const [size, label, limit] of [[16384, '16 KiB writes', bytes.length], [80, 'one 80-byte line per write', bytes.length], [1, 'one byte per write', 300_000]] as const) {
    rate(GATE_ON, size, Math.min(limit, 1_000_000)); // warm up
    figures.push({ name: `8 MB of log lines, ${label}, gate on`, value: rate(GATE_ON, size, limit), unit: 'MB/s' });
  }
  figures.push({ name: '8 MB of log lines, 16 KiB writes, gate off', value: rate(GATE_OFF, 16384), unit: 'MB/s' });
  return { title: 'Output gate holdback: throughput of the gate alone', runtime: `Node ${process.versions.node}`, figures };
}

export const run: Suite = async () => [await latency(), await heldOnExamples(), throughput()];
