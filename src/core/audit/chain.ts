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
 * The hash chain finds any change, deletion, insertion or reordering of lines, but anyone can
 * rebuild a whole chain; the HMAC chain cannot be rebuilt without the key. Neither can tell that
 * lines were cut off the end: compare the entry count with what you expect.
 */
import type { AuditEvent } from './events.ts';

export const GENESIS = '0'.repeat(64);

export interface ChainOptions {
  /** HMAC-SHA256 key (UTF-8). Adds hmac and prev_hmac to every line. */
  hmacKey?: string;
}

export interface ExportOptions extends ChainOptions {
  /** Events the ring buffer dropped before these: recorded as a first "audit.dropped" entry. */
  dropped?: number;
}

export type VerifyResult =
  | { ok: true; entries: number; hmacChecked: boolean }
  | { ok: false; line: number; reason: string };

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
  for (const [serial, body] of bodies.entries()) {
    const entry: Record<string, unknown> = { serial, ...body, prev_hash: prevHash };
    if (sign) {
      entry.prev_hmac = prevHmac;
      entry.hmac = await sign(canonicalJson(entry));
      prevHmac = entry.hmac as string;
    }
    entry.hash = await sha256Hex(canonicalJson(entry));
    prevHash = entry.hash as string;
    out += JSON.stringify(entry) + '\n';
  }
  return out;
}

/** Check every line of an export; report the first broken link. */
export async function verifyJsonl(text: string, options: ChainOptions = {}): Promise<VerifyResult> {
  const sign = options.hmacKey === undefined ? null : await hmacSigner(options.hmacKey);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prevHash = GENESIS;
  let prevHmac = GENESIS;
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const fail = (reason: string): VerifyResult => ({ ok: false, line, reason });
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
    prevHash = hash;
    if (sign) prevHmac = parsed.hmac as string;
  }
  return { ok: true, entries: lines.length, hmacChecked: sign !== null };
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
