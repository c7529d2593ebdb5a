/**
 * stdout/stderr leaving the worker: batched into chunks, capped at the plan's byte limit (the
 * cut is reported, never silent).
 */
import type { MountEntry } from '../wasi/tree.ts';
import type { RunPlan } from './protocol.ts';

type Stream = 'stdout' | 'stderr';

/** Chunks are sent when this many bytes are waiting or when FLUSH_MS have passed. */
const CHUNK_BYTES = 16 * 1024;
const FLUSH_MS = 16;

export function createOutputStream(plan: RunPlan, send: (stream: Stream, chunk: Uint8Array) => void) {
  let budget = plan.maxOutputBytes;
  const truncated = { stdout: false, stderr: false };
  const pending: Record<Stream, Uint8Array[]> = { stdout: [], stderr: [] };
  const pendingBytes: Record<Stream, number> = { stdout: 0, stderr: 0 };
  let lastFlush = performance.now();

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
    lastFlush = performance.now();
  };

  return {
    write(stream: Stream, bytes: Uint8Array): void {
      if (bytes.length === 0) return;
      let kept = bytes;
      if (bytes.length > budget) {
        truncated[stream] = true;
        kept = bytes.subarray(0, budget);
      }
      budget -= kept.length;
      if (kept.length > 0) {
        // The guest may reuse its buffer after the call returns: keep a copy.
        pending[stream].push(kept.slice());
        pendingBytes[stream] += kept.length;
      }
      if (pendingBytes[stream] >= CHUNK_BYTES || performance.now() - lastFlush >= FLUSH_MS) flushAll();
    },
    close(): void {
      flushAll();
    },
    truncated,
    redactEntries(entries: MountEntry[]): MountEntry[] {
      return entries;
    },
  };
}
