/**
 * stdout/stderr leaving the worker: batched into chunks, capped at the plan's byte limit (the
 * cut is reported, never silent).
 */
import type { Redactor, StreamRedactor } from '../secrets/index.ts';
import type { StreamGate } from './stream-gate.ts';
import type { RunPlan } from './protocol.ts';

type Stream = 'stdout' | 'stderr';

/**
 * Sparse output goes out at once, so a line printed just before a busy loop reaches the page even
 * if the worker is then killed. Dense output (more than DENSE_WRITES writes within WINDOW_MS) is
 * batched into chunks of up to CHUNK_BYTES, sent at least every WINDOW_MS while writes continue.
 */
const CHUNK_BYTES = 16 * 1024;
const WINDOW_MS = 16;
const DENSE_WRITES = 32;

export function createOutputStream(
  plan: Pick<RunPlan, 'maxOutputBytes'>,
  redactor: Redactor | null,
  gate: StreamGate,
  send: (stream: Stream, chunk: Uint8Array) => void,
  onTruncated: (stream: Stream) => void,
) {
  let budget = plan.maxOutputBytes;
  const truncated = { stdout: false, stderr: false };
  const pending: Record<Stream, Uint8Array[]> = { stdout: [], stderr: [] };
  const pendingBytes: Record<Stream, number> = { stdout: 0, stderr: 0 };
  // Secret values are redacted on the way out, even when a write splits one across two chunks.
  const streams: Record<Stream, StreamRedactor | null> = {
    stdout: redactor?.createStream() ?? null,
    stderr: redactor?.createStream() ?? null,
  };
  // Then the output gate: it holds back what could begin a match, redacts warn-level matches, and
  // a quarantine or block stops the stream.
  const enqueue = (stream: Stream, raw: Uint8Array, final = false) => {
    const bytes = gate.pass(stream, raw, final);
    if (bytes.length === 0) return;
    pending[stream].push(bytes);
    pendingBytes[stream] += bytes.length;
  };
  let windowStart = performance.now();
  let writesInWindow = 0;

  const flush = (stream: Stream) => {
    if (pendingBytes[stream] === 0) return;
    const chunk = new Uint8Array(pendingBytes[stream]);
    let at = 0;
    for (const part of pending[stream]) {
      chunk.set(part, at);
      at += part.length;
    }
    pending[stream] = [];
    pendingBytes[stream] = 0;
    send(stream, chunk);
  };
  const flushAll = () => {
    flush('stdout');
    flush('stderr');
  };
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const stream of ['stdout', 'stderr'] as const) {
      const redacting = streams[stream];
      enqueue(stream, redacting === null ? new Uint8Array(0) : redacting.flush(), true);
    }
  };

  return {
    write(stream: Stream, bytes: Uint8Array): void {
      if (bytes.length === 0) return;
      let kept = bytes;
      if (bytes.length > budget) {
        kept = bytes.subarray(0, budget);
        if (!truncated[stream]) {
          truncated[stream] = true;
          onTruncated(stream);
        }
      }
      budget -= kept.length;
      if (!ended) {
        // The guest may reuse its buffer after the call returns: keep a copy.
        const redacting = streams[stream];
        enqueue(stream, redacting === null ? kept.slice() : redacting.push(kept));
        // Nothing more can pass the cap: release what is held now, not at an end the run may
        // never reach (a guest flooding output is often killed at its deadline).
        if (budget === 0) end();
      }
      const now = performance.now();
      if (now - windowStart >= WINDOW_MS) {
        windowStart = now;
        writesInWindow = 0;
      }
      writesInWindow++;
      const dense = writesInWindow > DENSE_WRITES;
      if (!dense || pendingBytes[stream] >= CHUNK_BYTES || writesInWindow === 1) flushAll();
    },
    /** End of the run: releases what the redactors and the gate held back. */
    close(): void {
      end();
      flushAll();
    },
  };
}
