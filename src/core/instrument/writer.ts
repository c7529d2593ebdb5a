/** A growable byte buffer for assembling the output module. */
export class Writer {
  bytes: Uint8Array<ArrayBuffer>;
  /** The same bytes, for writing 4 at a time. */
  view: DataView<ArrayBuffer>;
  length = 0;
  /** Widths of the length prefixes reserved and not yet patched (they nest, innermost last). */
  private readonly widths: number[] = [];

  constructor(initialCapacity: number) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.bytes.buffer);
  }

  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(b: number): void {
    this.ensure(1);
    this.bytes[this.length++] = b;
  }

  /** Copies `src[start, end)`; short ranges byte by byte, which beats creating a subarray. */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const out = this.bytes;
    let at = this.length;
    if (n < 32) {
      for (let i = start; i < end; i++) out[at++] = src[i];
    } else {
      out.set(src.subarray(start, end), at);
    }
    this.length += n;
  }

  u32(value: number): void {
    this.ensure(5);
    const out = this.bytes;
    let v = value >>> 0;
    for (;;) {
      const b = v & 0x7f;
      v >>>= 7;
      if (v === 0) {
        out[this.length++] = b;
        return;
      }
      out[this.length++] = b | 0x80;
    }
  }

  /** Unsigned LEB128 of a non-negative safe integer (memory64 limits). */
  u64(value: number): void {
    this.ensure(10);
    let v = value;
    for (;;) {
      const b = v % 128;
      v = Math.floor(v / 128);
      if (v === 0) {
        this.bytes[this.length++] = b;
        return;
      }
      this.bytes[this.length++] = b | 0x80;
    }
  }

  /** Signed LEB128 of a safe integer. */
  s64(value: number): void {
    this.ensure(10);
    let v = value;
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.bytes[this.length++] = done ? b : b | 0x80;
      if (done) return;
    }
  }

  /** Signed LEB128 of a bigint (the fuel budget). */
  s64Big(value: bigint): void {
    this.ensure(10);
    let v = value;
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.bytes[this.length++] = done ? b : b | 0x80;
      if (done) return;
    }
  }

  /** Writes the name as a length-prefixed UTF-8 string. */
  name(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.u32(encoded.length);
    this.copy(encoded, 0, encoded.length);
  }

  /**
   * Reserves room for a u32 LEB length prefix; `patchLength` later writes the length of everything
   * written since. Reserves as many bytes as `expectedLength` needs (5 by default); when the length
   * turns out to need another number, the content moves once it is known, so lengths stay
   * minimally encoded. A good guess saves moving a large section or body.
   */
  reserveLength(expectedLength = MAX_U32): number {
    const width = lebWidth(expectedLength);
    this.ensure(width);
    const at = this.length;
    this.length += width;
    this.widths.push(width);
    return at;
  }

  /** Patches the innermost reserved length prefix, at `at`. */
  patchLength(at: number): void {
    const reserved = this.widths.pop() ?? 5;
    const contentStart = at + reserved;
    const size = this.length - contentStart;
    const width = lebWidth(size);
    if (width !== reserved) {
      this.ensure(width - reserved);
      this.bytes.copyWithin(at + width, contentStart, this.length);
      this.length += width - reserved;
    }
    const out = this.bytes;
    let v = size;
    for (let i = 0; i < width - 1; i++) {
      out[at + i] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[at + width - 1] = v;
  }

  /**
   * The bytes written: a view unless most of the buffer is unused, else a copy. The unused tail of
   * a large buffer was never touched, so it takes address space but no memory; copying ~40 MB into
   * fresh pages costs more than the rest of the rewrite's output assembly together.
   */
  result(): Uint8Array<ArrayBuffer> {
    if (this.bytes.length - this.length <= this.length) return this.bytes.subarray(0, this.length);
    return this.bytes.slice(0, this.length);
  }
}

const MAX_U32 = 0xffffffff;

function lebWidth(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}
