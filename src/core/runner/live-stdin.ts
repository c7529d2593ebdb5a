/**
 * Live stdin: text typed in the page while the module runs. The page writes into a ring buffer in
 * a SharedArrayBuffer; the worker's stdin reads from it and, when it is empty, parks the thread
 * with Atomics.wait until input arrives, the page closes the input, or the run's deadline passes.
 * A SharedArrayBuffer exists only in a cross-origin-isolated page (and in Node), so this is the one
 * feature that needs the COOP/COEP headers; without them stdin is the policy's text alone.
 */
import type { StdinSource } from '../wasi/fds.ts';

const WRITTEN = 0;
const READ = 1;
const CLOSED = 2;
const HEADER_BYTES = 16;
export const STDIN_RING_BYTES = 64 * 1024;

export function liveStdinAvailable(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

export function createStdinRing(capacity = STDIN_RING_BYTES): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

/** The page's end: write text (queued while the ring is full), then close for end of input. */
export class StdinWriter {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private queue: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closing = false;

  constructor(ring: SharedArrayBuffer) {
    this.header = new Int32Array(ring, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(ring, HEADER_BYTES);
  }

  write(text: string | Uint8Array): void {
    this.queue.push(typeof text === 'string' ? new TextEncoder().encode(text) : text);
    this.pump();
  }

  /** End of input: once what was written has been read, the module's next read returns 0 bytes. */
  close(): void {
    this.closing = true;
    this.pump();
  }

  private pump(): void {
    const capacity = this.data.length;
    while (this.queue.length > 0) {
      const written = Atomics.load(this.header, WRITTEN);
      const free = capacity - (written - Atomics.load(this.header, READ));
      if (free === 0) break;
      const chunk = this.queue[0];
      const n = Math.min(free, chunk.length);
      for (let i = 0; i < n; i++) this.data[(written + i) % capacity] = chunk[i];
      Atomics.store(this.header, WRITTEN, written + n);
      Atomics.notify(this.header, WRITTEN);
      if (n === chunk.length) this.queue.shift();
      else this.queue[0] = chunk.subarray(n);
    }
    if (this.queue.length > 0) {
      // The module has not read what is there yet: try again shortly.
      if (this.timer === null) this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, 10);
      return;
    }
    if (this.closing) {
      Atomics.store(this.header, CLOSED, 1);
      Atomics.notify(this.header, WRITTEN);
    }
  }
}

/**
 * The worker's end: first the policy's stdin text, then live input. `expired` is called (and must
 * throw) when the run's deadline passes while waiting.
 */
export function liveStdinSource(ring: SharedArrayBuffer, prefix: Uint8Array, deadline: number, expired: () => never): StdinSource {
  const header = new Int32Array(ring, 0, HEADER_BYTES / 4);
  const data = new Uint8Array(ring, HEADER_BYTES);
  const capacity = data.length;
  let prefixPos = 0;
  const pending = () => Atomics.load(header, WRITTEN) - Atomics.load(header, READ);
  return {
    read(max) {
      if (prefixPos < prefix.length) {
        const chunk = prefix.subarray(prefixPos, prefixPos + max);
        prefixPos += chunk.length;
        return chunk;
      }
      for (;;) {
        const written = Atomics.load(header, WRITTEN);
        const read = Atomics.load(header, READ);
        if (written > read) {
          const n = Math.min(max, written - read);
          const out = new Uint8Array(n);
          for (let i = 0; i < n; i++) out[i] = data[(read + i) % capacity];
          Atomics.store(header, READ, read + n);
          return out;
        }
        if (Atomics.load(header, CLOSED) === 1) return new Uint8Array(0);
        const left = deadline - performance.now();
        if (left <= 0) expired();
        Atomics.wait(header, WRITTEN, written, Math.min(left, 1000));
      }
    },
    available: () => prefix.length - prefixPos + pending(),
    ended: () => prefixPos >= prefix.length && pending() === 0 && Atomics.load(header, CLOSED) === 1,
  };
}
