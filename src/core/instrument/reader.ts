import { InstrumentError } from './errors.ts';

/**
 * A cursor over a byte range of the input module: LEB128 and fixed-size reads with bounds checks.
 * Every failure is an InstrumentError('malformed') carrying the offset, never a TypeError.
 */
export class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  end: number;

  constructor(bytes: Uint8Array, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, offset: number = this.pos): never {
    throw new InstrumentError('malformed', message, { offset });
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos++];
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. */
  u32(): number {
    const bytes = this.bytes;
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail('unexpected end of data inside a LEB128 number', start);
      const b = bytes[this.pos++];
      if (shift === 28) {
        if ((b & 0xf0) !== 0) this.fail('LEB128 number too large for u32', start);
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /**
   * Unsigned LEB128 up to 64 bits, returned as a number; values above 2^53 are refused (they only
   * occur in memory64 limits, where anything above 2^48 pages is invalid anyway).
   */
  u64AsNumber(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === 10) this.fail('LEB128 number longer than 10 bytes', start);
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    if (result > Number.MAX_SAFE_INTEGER) this.fail('64-bit number too large', start);
    return result;
  }

  /** Signed LEB128 of up to 33 bits (block types, heap types); returns the value. */
  s33(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i === 5) this.fail('LEB128 number longer than 5 bytes', start);
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) {
        if ((b & 0x40) !== 0) result -= scale;
        return result;
      }
    }
  }

  /** Skips a LEB128 number (signed or unsigned) of at most `maxBytes` bytes. */
  skipLeb(maxBytes: number): void {
    const start = this.pos;
    const bytes = this.bytes;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.end) this.fail('unexpected end of data inside a LEB128 number', start);
      if ((bytes[this.pos++] & 0x80) === 0) return;
    }
    this.fail(`LEB128 number longer than ${maxBytes} bytes`, start);
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail('unexpected end of data');
    this.pos += n;
  }

  /** A vector length, checked against the bytes left (every element takes at least one byte). */
  count(): number {
    const start = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) this.fail(`vector of ${n} elements cannot fit in the ${this.end - this.pos} bytes left`, start);
    return n;
  }

  /** A length-prefixed UTF-8 name, decoded leniently (only used for messages and custom section names). */
  name(): string {
    const n = this.u32();
    const start = this.pos;
    this.skip(n);
    return utf8.decode(this.bytes.subarray(start, start + n));
  }
}

const utf8 = new TextDecoder('utf-8');
