/**
 * Redacting registered secret values from bytes that leave the sandbox, including values split
 * across the chunks of a stream.
 *
 * Rule (applied to the UTF-8 bytes): every occurrence of every non-empty value is found, sorted
 * by start, longer first. An occurrence that starts at or after the end of the current run
 * starts a new run and emits `[REDACTED:secret:NAME]`. An occurrence that overlaps the run and
 * reaches past its end extends it, and emits its own marker if its name has not been emitted in
 * the run yet; one wholly inside the run is swallowed. So the longest secret wins where several
 * start together, and unlike the gate's rule, no byte of any occurrence ever leaks.
 *
 * The stream gives byte-for-byte the output `redactBytes` gives for the concatenated input: it
 * holds back only positions where a secret could still begin (at most maxLen - 1 bytes).
 */

export interface StreamRedactor {
  /** Redacts what can be decided now; holds back at most maxLen - 1 bytes that may start a secret. */
  push(chunk: Uint8Array): Uint8Array;
  /** End of stream: releases (redacted) whatever was held back and resets. */
  flush(): Uint8Array;
}

interface Needle {
  name: string;
  bytes: Uint8Array;
  marker: Uint8Array;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export class Redactor {
  /** Secrets by first byte, longest first, registration order among equals. */
  readonly #byFirstByte = new Map<number, Needle[]>();
  /** Length in bytes of the longest value (0 when there are none). */
  readonly maxLen: number;

  constructor(secrets: Iterable<readonly [name: string, value: string]>) {
    const needles: Needle[] = [];
    for (const [name, value] of secrets) {
      if (value === '') continue;
      needles.push({ name, bytes: encoder.encode(value), marker: encoder.encode(`[REDACTED:secret:${name}]`) });
    }
    needles.sort((a, b) => b.bytes.length - a.bytes.length);
    for (const n of needles) {
      const list = this.#byFirstByte.get(n.bytes[0]) ?? [];
      list.push(n);
      this.#byFirstByte.set(n.bytes[0], list);
    }
    this.maxLen = needles.reduce((m, n) => Math.max(m, n.bytes.length), 0);
  }

  redactBytes(bytes: Uint8Array): Uint8Array {
    return new StreamState(this.#byFirstByte).flushWith(bytes);
  }

  redactText(text: string): string {
    return new TextDecoder().decode(this.redactBytes(encoder.encode(text)));
  }

  createStream(): StreamRedactor {
    return new StreamState(this.#byFirstByte);
  }
}

export function createStreamRedactor(secrets: Iterable<readonly [name: string, value: string]>): StreamRedactor {
  return new Redactor(secrets).createStream();
}

/** One stream's position: held-back bytes and the run of redacted bytes they may belong to. */
class StreamState implements StreamRedactor {
  /** Bytes from the first undecided position on; a prefix of them may already be redacted. */
  #held: Uint8Array = EMPTY;
  /** Index in #held of the first byte neither emitted nor redacted. */
  #pos = 0;
  /** End of the current run of redacted bytes, relative to #held (<= 0 when none reaches it). */
  #runEnd = 0;
  #runNames = new Set<string>();

  readonly #byFirstByte: ReadonlyMap<number, readonly Needle[]>;

  constructor(byFirstByte: ReadonlyMap<number, readonly Needle[]>) {
    this.#byFirstByte = byFirstByte;
  }

  push(chunk: Uint8Array): Uint8Array {
    return this.#process(concat([this.#held, chunk]), false);
  }

  flush(): Uint8Array {
    const out = this.#process(this.#held, true);
    this.#held = EMPTY;
    this.#pos = 0;
    this.#runEnd = 0;
    this.#runNames.clear();
    return out;
  }

  /** push(bytes) then flush(), in one pass. */
  flushWith(bytes: Uint8Array): Uint8Array {
    this.#held = bytes;
    return this.flush();
  }

  #process(data: Uint8Array, final: boolean): Uint8Array {
    const out: Uint8Array[] = [];
    let cut = data.length;
    for (let i = 0; i < data.length; i++) {
      const candidates = this.#byFirstByte.get(data[i]);
      if (!candidates) continue;
      if (!final && candidates.some((n) => i + n.bytes.length > data.length && startsWithPart(data, i, n.bytes))) {
        cut = i; // a secret may start here: decide when more bytes arrive
        break;
      }
      for (const n of candidates) {
        if (!matchesAt(data, i, n.bytes)) continue;
        const end = i + n.bytes.length;
        if (i >= this.#runEnd) {
          out.push(data.subarray(this.#pos, i), n.marker);
          this.#runNames = new Set([n.name]);
        } else if (end > this.#runEnd) {
          if (!this.#runNames.has(n.name)) out.push(n.marker);
          this.#runNames.add(n.name);
        } else continue;
        this.#runEnd = end;
        this.#pos = end;
      }
    }
    if (this.#pos < cut) {
      out.push(data.subarray(this.#pos, cut));
      this.#pos = cut;
    }
    this.#held = data.slice(cut);
    this.#pos -= cut;
    this.#runEnd -= cut;
    return concat(out);
  }
}

function matchesAt(data: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at + needle.length > data.length) return false;
  for (let k = 0; k < needle.length; k++) if (data[at + k] !== needle[k]) return false;
  return true;
}

/** Whether data[at..] (shorter than needle) is a prefix of needle. */
function startsWithPart(data: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let k = 0; at + k < data.length; k++) if (data[at + k] !== needle[k]) return false;
  return true;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
