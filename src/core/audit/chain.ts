/**
 * Audit export as JSON Lines with a hash chain, and its verifier.
 *
 * One line per entry: {serial, event_type, payload, timestamp, prev_hash, hash}, plus
 * {hmac, prev_hmac} when a key is given (kavach 1.0's HMAC chain fields).
 * - serial: 0, 1, 2, ... in export order (a gap means a deleted line).
 * - event_type: "lifecycle.<event>" or "wasi.<function>".
 * - payload: the AuditEvent itself.
 * - timestamp: the event's time, milliseconds since the sandbox was created.
 * - prev_hash: the previous line's hash; 64 zeros on the first line.
 * - prev_hmac: the previous line's hmac, 64 zeros on the first line.
 * - hmac: HMAC-SHA256(key, canonical JSON of every field of the line but hmac and hash), hex.
 * - hash: SHA-256 hex of the canonical JSON of every other field of the line (so it covers
 *   prev_hash, and hmac/prev_hmac when present).
 *
 * Canonical JSON (RFC 8785 JCS for the values an audit event holds): object keys sorted by UTF-16
 * code units, recursively; no whitespace; strings and numbers exactly as JSON.stringify writes
 * them; properties whose value is undefined left out; non-finite numbers refused.
 *
 * The last line of a complete trail is its terminal record: event_type "audit.end", payload
 * {entries, final_hash} (and final_hmac with a key): the number of lines before it and the hash
 * (and hmac) of the last of them; it is chained like any other line. A trail without it was cut
 * short (or its export never finished): the verifier says "incomplete", not "intact".
 *
 * The hash chain finds any change, deletion, insertion or reordering of lines, but anyone can
 * rebuild a whole chain, end record included; the HMAC chain cannot be rebuilt without the key,
 * so with a key a trail cut short cannot be passed off as complete.
 *
 * The verifier also refuses an entry with a key written twice in one object (JSON readers differ
 * on which value counts, so a reader could be shown a value the hash did not cover) and a number
 * no JSON reader can hold.
 */
import type { AuditEvent } from './events.ts';

export const GENESIS = '0'.repeat(64);

/** event_type of the record that closes a complete trail. */
export const END_EVENT_TYPE = 'audit.end';

export interface ChainOptions {
  /** HMAC-SHA256 key (UTF-8). Adds hmac and prev_hmac to every line. */
  hmacKey?: string;
}

export interface ExportOptions extends ChainOptions {
  /** Events the ring buffer dropped before these: recorded as a first "audit.dropped" entry. */
  dropped?: number;
}

export type VerifyResult =
  /** Every line intact, closed by its audit.end record; `entries` does not count that record. */
  | { kind: 'complete'; entries: number; hmacChecked: boolean }
  /** Every line intact, but no audit.end record: lines were cut off the end. */
  | { kind: 'incomplete'; entries: number; hmacChecked: boolean }
  /** The first line that is not as it was written, and why. */
  | { kind: 'broken'; line: number; reason: string }
  /** No lines at all: not an audit trail. */
  | { kind: 'empty' };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
}

export function eventType(event: AuditEvent): string {
  return event.kind === 'lifecycle' ? `lifecycle.${event.event}` : `wasi.${event.fn}`;
}

export async function toJsonl(events: readonly AuditEvent[], options: ExportOptions = {}): Promise<string> {
  const sign = options.hmacKey === undefined ? null : await hmacSigner(options.hmacKey);
  const bodies: { event_type: string; payload: unknown; timestamp: number }[] = [];
  if (options.dropped) {
    bodies.push({
      event_type: 'audit.dropped',
      payload: { dropped: options.dropped, note: `the audit log kept the last ${events.length} events; ${options.dropped} earlier ones were dropped` },
      timestamp: events[0]?.time ?? 0,
    });
  }
  for (const e of events) bodies.push({ event_type: eventType(e), payload: e, timestamp: e.time });

  let prevHash = GENESIS;
  let prevHmac = GENESIS;
  let out = '';
  const append = async (body: { event_type: string; payload: unknown; timestamp: number }, serial: number) => {
    const entry: Record<string, unknown> = { serial, ...body, prev_hash: prevHash };
    if (sign) {
      entry.prev_hmac = prevHmac;
      entry.hmac = await sign(canonicalJson(entry));
      prevHmac = entry.hmac as string;
    }
    entry.hash = await sha256Hex(canonicalJson(entry));
    prevHash = entry.hash as string;
    out += JSON.stringify(entry) + '\n';
  };
  for (const [serial, body] of bodies.entries()) await append(body, serial);
  const final = { entries: bodies.length, final_hash: prevHash, ...(sign ? { final_hmac: prevHmac } : {}) };
  await append({ event_type: END_EVENT_TYPE, payload: final, timestamp: bodies[bodies.length - 1]?.timestamp ?? 0 }, bodies.length);
  return out;
}

/**
 * Check every line of an export (text, or its UTF-8 bytes, read line by line without a copy of the
 * whole); report the first broken link, or whether the trail is complete.
 */
export async function verifyJsonl(input: string | Uint8Array, options: ChainOptions = {}): Promise<VerifyResult> {
  const sign = options.hmacKey === undefined ? null : await hmacSigner(options.hmacKey);
  if (isBlank(input)) return { kind: 'empty' };
  let prevHash = GENESIS;
  let prevHmac = GENESIS;
  let closedAt = 0;
  let count = 0;
  for (const raw of linesOf(input)) {
    const i = count++;
    const line = i + 1;
    const fail = (reason: string): VerifyResult => ({ kind: 'broken', line, reason });
    if (closedAt > 0) return fail(`a line after the ${END_EVENT_TYPE} record: the trail was closed at line ${closedAt}`);
    const parsed = parseEntry(raw, sign !== null);
    if (typeof parsed === 'string') return fail(parsed);
    const { hash, ...rest } = parsed;
    if ((await sha256Hex(canonicalJson(rest))) !== hash) {
      return fail('hash does not match the entry: it was changed after it was written');
    }
    if (sign) {
      const { hmac, ...signed } = rest;
      if ((await sign(canonicalJson(signed))) !== hmac) {
        return fail('hmac does not match the entry: it was changed (and its hash recomputed), or the key is wrong');
      }
    }
    if (parsed.serial > i) return fail(`serial ${parsed.serial} where ${i} was expected: ${parsed.serial - i} entr${parsed.serial - i === 1 ? 'y is' : 'ies are'} missing before this line, or lines were reordered`);
    if (parsed.serial < i) return fail(`serial ${parsed.serial} where ${i} was expected: entries were reordered or duplicated`);
    const previous = i === 0 ? 'the genesis value (64 zeros)' : `the hash of line ${line - 1}`;
    if (parsed.prev_hash !== prevHash) return fail(`prev_hash is not ${previous}: a line before this one was changed, removed or inserted`);
    if (sign && parsed.prev_hmac !== prevHmac) {
      return fail(`prev_hmac is not ${i === 0 ? 'the genesis value (64 zeros)' : `the hmac of line ${line - 1}`}: a line before this one was changed, removed or inserted`);
    }
    if (parsed.event_type === END_EVENT_TYPE) {
      const problem = checkEnd(parsed, i);
      if (problem !== null) return fail(problem);
      closedAt = line;
    }
    prevHash = hash;
    if (sign) prevHmac = parsed.hmac as string;
  }
  if (closedAt === 0) return { kind: 'incomplete', entries: count, hmacChecked: sign !== null };
  return { kind: 'complete', entries: count - 1, hmacChecked: sign !== null };
}

/** What is wrong with an audit.end record at index `i` (its chain fields already checked), or null. */
function checkEnd(entry: ParsedEntry, i: number): string | null {
  const p = entry.payload;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return `${END_EVENT_TYPE} record without its payload {entries, final_hash}`;
  if (p.entries !== i) return `${END_EVENT_TYPE} record says ${JSON.stringify(p.entries ?? null)} entries, but ${i} come before it`;
  const last = i === 0 ? 'the genesis value (64 zeros)' : `the hash of line ${i}`;
  if (p.final_hash !== entry.prev_hash) return `${END_EVENT_TYPE} record: final_hash is not ${last}`;
  if ('final_hmac' in p && p.final_hmac !== entry.prev_hmac) return `${END_EVENT_TYPE} record: final_hmac is not the hmac of line ${i}`;
  return null;
}

function isBlank(input: string | Uint8Array): boolean {
  if (typeof input === 'string') return input.trim() === '';
  return input.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
}

/** The lines of `input`, without their "\n" (a final empty line is not a line). */
function* linesOf(input: string | Uint8Array): Generator<string> {
  const decoder = new TextDecoder();
  for (let start = 0; start < input.length;) {
    const at = typeof input === 'string' ? input.indexOf('\n', start) : input.indexOf(0x0a, start);
    const end = at < 0 ? input.length : at;
    yield typeof input === 'string' ? input.slice(start, end) : decoder.decode(input.subarray(start, end));
    start = end + 1;
  }
}

interface ParsedEntry {
  serial: number;
  event_type: string;
  payload: Json;
  timestamp: number;
  prev_hash: string;
  hash: string;
  hmac?: string;
  prev_hmac?: string;
  [extra: string]: Json | undefined;
}

/** The entry, or what is wrong with its shape. */
function parseEntry(raw: string, needHmac: boolean): ParsedEntry | string {
  if (raw.trim() === '') return 'empty line';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const twice = repeatedKey(raw);
  if (twice !== null) return `key ${JSON.stringify(twice)} appears twice in one object: readers disagree on which value counts`;
  if (!allFinite(value)) return 'a number out of range (Infinity): not an entry this tool wrote';
  const v = value as Record<string, unknown>;
  const hex = (x: unknown) => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
  if (!Number.isSafeInteger(v.serial) || (v.serial as number) < 0) return 'field "serial" missing or not a whole number';
  if (typeof v.event_type !== 'string') return 'field "event_type" missing or not a string';
  if (!('payload' in v)) return 'field "payload" missing';
  if (typeof v.timestamp !== 'number') return 'field "timestamp" missing or not a number';
  for (const field of ['prev_hash', 'hash'] as const) if (!hex(v[field])) return `field "${field}" missing or not 64 hex digits`;
  if (needHmac) {
    if (!('hmac' in v)) return 'no "hmac" field: the log was written without an HMAC key';
    for (const field of ['prev_hmac', 'hmac'] as const) if (!hex(v[field])) return `field "${field}" missing or not 64 hex digits`;
  }
  return v as ParsedEntry;
}

/**
 * The first key that occurs twice in one object of `json` (valid JSON), compared after unescaping,
 * or null. Iterative, so any nesting depth is fine.
 */
function repeatedKey(json: string): string | null {
  // Per open bracket: the keys seen so far (an object) or null (an array).
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let k = 0; k < json.length; k++) {
    const c = json[k];
    if (c === '"') {
      let end = k + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(json.slice(k, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      k = end;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] !== null;
    } else if (c === ':') {
      expectKey = false;
    }
  }
  return null;
}

/** Whether every number in a parsed JSON value is finite (JSON.parse reads 1e400 as Infinity). */
function allFinite(value: unknown): boolean {
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) return false;
    if (typeof v === 'object' && v !== null) todo.push(...Object.values(v));
  }
  return true;
}

async function sha256Hex(text: string): Promise<string> {
  return toHex(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

async function hmacSigner(key: string): Promise<(text: string) => Promise<string>> {
  if (key === '') throw new Error('HMAC key is empty: give a non-empty key, or none for a hash chain only');
  const cryptoKey = await globalThis.crypto.subtle.importKey(
    'raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return async (text) => toHex(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(text)));
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
