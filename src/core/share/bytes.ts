/**
 * Byte-level pieces of the link codec: base64url, CRC-32, and deflate-raw through the
 * CompressionStream / DecompressionStream web APIs (the same in browsers and Node 20).
 */
import { concatBytes } from '../util/bytes.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** base64url without padding (RFC 4648 section 5), the form that survives in a URL fragment. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63];
  }
  return out;
}

export type Base64Result =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'bad_character'; position: number; character: string }
  | { ok: false; reason: 'bad_length' | 'bad_padding_bits' };

/**
 * Strict base64url decoding: only the 64 URL-safe characters, no padding, and the unused bits
 * of the last character zero, so every byte string has exactly one spelling.
 */
export function fromBase64Url(text: string): Base64Result {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || DECODE[c] < 0) return { ok: false, reason: 'bad_character', position: i, character: String.fromCodePoint(text.codePointAt(i) ?? c) };
  }
  if (text.length % 4 === 1) return { ok: false, reason: 'bad_length' };
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < text.length; i += 4) {
    const n = (DECODE[text.charCodeAt(i)] << 18) | (DECODE[text.charCodeAt(i + 1)] << 12) | (DECODE[text.charCodeAt(i + 2)] << 6) | DECODE[text.charCodeAt(i + 3)];
    bytes[o++] = n >> 16;
    bytes[o++] = (n >> 8) & 255;
    bytes[o++] = n & 255;
  }
  const rest = text.length - i;
  if (rest === 2) {
    const n = (DECODE[text.charCodeAt(i)] << 18) | (DECODE[text.charCodeAt(i + 1)] << 12);
    if (n & 0xffff) return { ok: false, reason: 'bad_padding_bits' };
    bytes[o++] = n >> 16;
  } else if (rest === 3) {
    const n = (DECODE[text.charCodeAt(i)] << 18) | (DECODE[text.charCodeAt(i + 1)] << 12) | (DECODE[text.charCodeAt(i + 2)] << 6);
    if (n & 0xff) return { ok: false, reason: 'bad_padding_bits' };
    bytes[o++] = n >> 16;
    bytes[o++] = (n >> 8) & 255;
  }
  return { ok: true, bytes };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE, as in gzip and PNG). deflate-raw carries no checksum of its own; this one catches
 * every damaged stretch of up to 32 bits (a flipped bit, a mistyped character) and any other
 * damage, a cut end included, but for a 1 in 2^32 chance.
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export { concatBytes };

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const read = await readAll(stream.getReader(), Infinity);
  if (!read.ok) throw new Error('deflate-raw compression failed'); // cannot happen: compression has no size cap
  return read.bytes;
}

export type InflateResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'too_big' }
  | { ok: false; reason: 'corrupt'; detail: string };

/**
 * Inflate deflate-raw data, reading no more than `maxBytes` of output: past that the stream is
 * cancelled, so a small input that expands to gigabytes (a decompression bomb) costs at most
 * `maxBytes` plus one chunk of memory and stops at once.
 */
export async function inflateRaw(bytes: Uint8Array, maxBytes: number): Promise<InflateResult> {
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  try {
    const read = await readAll(stream.getReader(), maxBytes);
    return read.ok ? read : { ok: false, reason: 'too_big' };
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: e instanceof Error ? e.message : String(e) };
  }
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { ok: true, bytes: concatBytes(chunks) };
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
}
