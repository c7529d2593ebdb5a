/**
 * stdout/stderr leaving the worker: batched into chunks, capped at the plan's byte limit (the
 * cut is reported, never silent).
 */
import type { MountEntry } from '../wasi/tree.ts';
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
  plan: RunPlan,
  send: (stream: Stream, chunk: Uint8Array) => void,
  onTruncated: (stream: Stream) => void,
) {
  let budget = plan.maxOutputBytes;
  const truncated = { stdout: false, stderr: false };
  const pending: Record<Stream, Uint8Array[]> = { stdout: [], stderr: [] };
  const pendingBytes: Record<Stream, number> = { stdout: 0, stderr: 0 };
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
      if (kept.length > 0) {
        // The guest may reuse its buffer after the call returns: keep a copy.
        pending[stream].push(kept.slice());
        pendingBytes[stream] += kept.length;
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
    close(): void {
      flushAll();
    },
    redactEntries(entries: MountEntry[]): MountEntry[] {
      return entries;
    },
  };
}
