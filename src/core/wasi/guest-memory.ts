/**
 * The guest's linear memory as the WASI calls see it: bounds-checked reads of paths and iovec
 * lists, and the writes of results. Buffers the guest names (iovecs, paths, names) outside
 * memory give EFAULT; a fixed-size result written outside it traps (the DataView's RangeError),
 * as in wasmtime. Moving bytes between guest memory and the host is charged here (see cost.ts),
 * at the length asked for, before any byte moves.
 */
import { bytesFuel, type Meter } from './cost.ts';
import { E } from './errno.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });
/** The audit shows any path, bad UTF-8 included (as U+FFFD), up to this many bytes. */
const shownDecoder = new TextDecoder();
const MAX_PATH_SHOWN = 4096;

export class GuestMemory {
  /** Views of guest memory, renewed only when it grows (which replaces its buffer): see refresh. */
  view!: DataView;
  bytes!: Uint8Array;
  private buffer: ArrayBufferLike | null = null;

  constructor(
    private readonly memory: () => WebAssembly.Memory,
    private readonly meter: Meter | null,
  ) {}

  /** Renew the views if memory has grown since the last call. */
  refresh(): void {
    const b = this.memory().buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.view = new DataView(b);
      this.bytes = new Uint8Array(b);
    }
  }

  fits(ptr: number, len: number): boolean {
    return ptr + len <= this.bytes.length;
  }

  /** A path argument as a string, or EFAULT (outside memory) or EILSEQ (not UTF-8). */
  readPath(ptr: number, len: number): string | number {
    ptr >>>= 0;
    len >>>= 0;
    if (!this.fits(ptr, len)) return E.FAULT;
    if (this.meter !== null) this.meter.charge(bytesFuel(len));
    try {
      return decoder.decode(this.bytes.subarray(ptr, ptr + len));
    } catch {
      return E.ILSEQ;
    }
  }

  /** A path as the audit shows it: cut at 4 KiB, and a bad pointer said as such. */
  pathShown(ptr: number, len: number): string {
    ptr >>>= 0;
    len >>>= 0;
    if (!this.fits(ptr, len)) return '<out of bounds>';
    return shownDecoder.decode(this.bytes.subarray(ptr, ptr + Math.min(len, MAX_PATH_SHOWN)));
  }

  /** The bytes an iovec list asks for (as far as it lies inside memory), for the audit. */
  iovecBytes(ptr: number, count: number): number {
    ptr >>>= 0;
    count >>>= 0;
    let total = 0;
    for (let k = 0; k < count && ptr + k * 8 + 8 <= this.bytes.length; k++) total += this.view.getUint32(ptr + k * 8 + 4, true);
    return total;
  }

  /** The (pointer, length) pairs of an iovec array, or EFAULT when any lies outside memory. */
  iovecs(ptr: number, count: number): number[] | number {
    ptr >>>= 0;
    count >>>= 0;
    if (!this.fits(ptr, count * 8)) return E.FAULT;
    const out: number[] = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
      const buf = this.view.getUint32(ptr + i * 8, true);
      const len = this.view.getUint32(ptr + i * 8 + 4, true);
      if (!this.fits(buf, len)) return E.FAULT;
      out.push(buf, len);
      total += len;
    }
    // Charged at the length asked for, before any byte moves.
    if (this.meter !== null) this.meter.charge(bytesFuel(total) + count);
    return out;
  }

  /**
   * Fill the iovecs from `read` until it comes up short. An error on the first read is the
   * call's; after some bytes it ends the read there, and the bytes are reported at `countPtr`.
   */
  scatter(list: number[], countPtr: number, read: (len: number) => { ret: number; data: Uint8Array }): number {
    let total = 0;
    for (let i = 0; i < list.length; i += 2) {
      const { ret, data } = read(list[i + 1]);
      if (ret !== E.SUCCESS) {
        if (total === 0) return ret;
        break;
      }
      this.bytes.set(data, list[i]);
      total += data.length;
      if (data.length < list[i + 1]) break;
    }
    this.view.setUint32(countPtr, total, true);
    return E.SUCCESS;
  }

  /** The iovecs' bytes as one buffer, in order. */
  gather(list: number[]): Uint8Array {
    let total = 0;
    for (let i = 1; i < list.length; i += 2) total += list[i];
    const data = new Uint8Array(total);
    for (let i = 0, at = 0; i < list.length; at += list[i + 1], i += 2) data.set(this.bytes.subarray(list[i], list[i] + list[i + 1]), at);
    return data;
  }

  /** `data` at `ptr`, or EFAULT when that lies outside memory. */
  writeBytes(data: Uint8Array, ptr: number): number {
    if (!this.fits(ptr >>> 0, data.length)) return E.FAULT;
    this.bytes.set(data, ptr >>> 0);
    return E.SUCCESS;
  }

  /** A list of strings, NUL-terminated, as args_get and environ_get lay it out. */
  writeStrings(list: Uint8Array[], ptrs: number, buf: number): number {
    ptrs >>>= 0;
    buf >>>= 0;
    const total = list.reduce((n, s) => n + s.length + 1, 0);
    if (!this.fits(ptrs, list.length * 4) || !this.fits(buf, total)) return E.FAULT;
    if (this.meter !== null) this.meter.charge(bytesFuel(total));
    for (const s of list) {
      this.view.setUint32(ptrs, buf, true);
      ptrs += 4;
      this.bytes.set(s, buf);
      this.bytes[buf + s.length] = 0;
      buf += s.length + 1;
    }
    return E.SUCCESS;
  }

  /** The count and total size (NULs included) of such a list, as args_sizes_get and environ_sizes_get give them. */
  writeSizes(list: Uint8Array[], countPtr: number, sizePtr: number): number {
    this.view.setUint32(countPtr, list.length, true);
    this.view.setUint32(sizePtr, list.reduce((n, s) => n + s.length + 1, 0), true);
    return E.SUCCESS;
  }
}
