import { describe, expect, it } from 'vitest';
import { AuditLog, GENESIS, canonicalJson, toJsonl, verifyJsonl, type AuditEvent } from './index.ts';

const events: AuditEvent[] = [
  { seq: 0, time: 0, kind: 'lifecycle', event: 'created' },
  { seq: 1, time: 1, kind: 'lifecycle', event: 'started' },
  { seq: 2, time: 2.5, kind: 'call', fn: 'path_open', args: { dirfd: '3 (/data)', path: 'x.txt', oflags: 'CREAT' }, errno: 69, errnoName: 'ROFS',
    denial: { rule: 'landlock_rules[0]', reason: 'mount /data is read-only (policy rule 0)' } },
  { seq: 3, time: 3, kind: 'call', fn: 'fd_write', args: { fd: 1, bytes: 6 }, errno: 0, errnoName: 'SUCCESS' },
  { seq: 4, time: 4, kind: 'lifecycle', event: 'exec_complete', detail: 'exit 0' },
];
const KEY = 'audit-key';

const lines = (text: string) => text.trimEnd().split('\n');
const join = (ls: string[]) => ls.join('\n') + '\n';
const edit = (text: string, index: number, change: (entry: Record<string, unknown>) => void) => {
  const ls = lines(text);
  const entry = JSON.parse(ls[index]) as Record<string, unknown>;
  change(entry);
  ls[index] = JSON.stringify(entry);
  return join(ls);
};
const sha256 = async (s: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s))), (b) => b.toString(16).padStart(2, '0')).join('');

describe('AuditLog', () => {
  it('keeps every event while under capacity', () => {
    const log = new AuditLog(10);
    events.forEach((e) => log.push(e));
    expect(log.snapshot()).toEqual({ events, dropped: 0 });
  });

  it('keeps the last N events, oldest first, and counts the dropped ones', () => {
    const log = new AuditLog(3);
    events.forEach((e) => log.push(e));
    expect(log.snapshot()).toEqual({ events: events.slice(2), dropped: 2 });
    expect(log.size).toBe(3);
    const many = new AuditLog(2);
    for (let i = 0; i < 7; i++) many.push({ seq: i, time: i, kind: 'lifecycle', event: 'started' });
    expect(many.snapshot().events.map((e) => e.seq)).toEqual([5, 6]);
    expect(many.dropped).toBe(5);
  });

  it('refuses a capacity that cannot hold an event', () => {
    expect(() => new AuditLog(0)).toThrow('audit log capacity must be a whole number of events, at least 1 (got 0)');
  });
});

describe('canonical JSON', () => {
  it('sorts keys recursively, drops undefined, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }], u: undefined, e: true })).toBe('{"a":[{"c":null,"d":"x"}],"b":1,"e":true}');
  });

  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ n: Infinity })).toThrow('canonical JSON has no form for Infinity');
  });
});

describe('toJsonl', () => {
  it('writes one chained entry per event, starting from 64 zeros, and an audit.end record last', async () => {
    const text = await toJsonl(events);
    const entries = lines(text).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e.serial)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(entries.map((e) => e.event_type)).toEqual(['lifecycle.created', 'lifecycle.started', 'wasi.path_open', 'wasi.fd_write', 'lifecycle.exec_complete', 'audit.end']);
    expect(entries[5].payload).toEqual({ entries: 5, final_hash: entries[4].hash });
    expect(entries[5].timestamp).toBe(4);
    expect(entries[2].payload).toEqual(events[2]);
    expect(entries[2].timestamp).toBe(2.5);
    expect(entries[0].prev_hash).toBe(GENESIS);
    for (let i = 1; i < entries.length; i++) expect(entries[i].prev_hash).toBe(entries[i - 1].hash);
    const { hash, ...rest } = entries[3];
    expect(hash).toBe(await sha256(canonicalJson(rest)));
    expect(entries[0]).not.toHaveProperty('hmac');
  });

  it('adds an HMAC chain with a key', async () => {
    const entries = lines(await toJsonl(events, { hmacKey: KEY })).map((l) => JSON.parse(l) as Record<string, string>);
    expect(entries[0].prev_hmac).toBe(GENESIS);
    for (let i = 1; i < entries.length; i++) expect(entries[i].prev_hmac).toBe(entries[i - 1].hmac);
    expect(entries[0].hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[5].payload).toEqual({ entries: 5, final_hash: entries[4].hash, final_hmac: entries[4].hmac });
  });

  it('closes an empty trail too', async () => {
    const [end] = lines(await toJsonl([])).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(end).toMatchObject({ serial: 0, event_type: 'audit.end', payload: { entries: 0, final_hash: GENESIS }, timestamp: 0, prev_hash: GENESIS });
  });

  it('records dropped events as a first entry', async () => {
    const text = await toJsonl(events.slice(3), { dropped: 3 });
    const first = JSON.parse(lines(text)[0]) as { event_type: string; payload: { dropped: number } };
    expect(first.event_type).toBe('audit.dropped');
    expect(first.payload.dropped).toBe(3);
    expect(await verifyJsonl(text)).toEqual({ kind: 'complete', entries: 3, hmacChecked: false });
  });

  it('refuses an empty HMAC key', async () => {
    await expect(toJsonl(events, { hmacKey: '' })).rejects.toThrow(/HMAC key is empty/);
  });
});

describe('verifyJsonl', () => {
  it('accepts an untouched log, with and without HMAC, as text or bytes', async () => {
    expect(await verifyJsonl(await toJsonl(events))).toEqual({ kind: 'complete', entries: 5, hmacChecked: false });
    const signed = await toJsonl(events, { hmacKey: KEY });
    expect(await verifyJsonl(signed, { hmacKey: KEY })).toEqual({ kind: 'complete', entries: 5, hmacChecked: true });
    expect(await verifyJsonl(signed)).toEqual({ kind: 'complete', entries: 5, hmacChecked: false });
    expect(await verifyJsonl(new TextEncoder().encode(signed), { hmacKey: KEY })).toEqual({ kind: 'complete', entries: 5, hmacChecked: true });
    expect(await verifyJsonl(await toJsonl([]))).toEqual({ kind: 'complete', entries: 0, hmacChecked: false });
  });

  const tampers: [field: string, change: (e: Record<string, unknown>) => void][] = [
    ['serial', (e) => { e.serial = 7; }],
    ['event_type', (e) => { e.event_type = 'wasi.fd_read'; }],
    ['payload', (e) => { (e.payload as { errno: number }).errno = 0; }],
    ['timestamp', (e) => { e.timestamp = 99; }],
    ['prev_hash', (e) => { e.prev_hash = 'f'.repeat(64); }],
    ['hash', (e) => { e.hash = 'a'.repeat(64); }],
    ['extra field', (e) => { e.note = 'added'; }],
  ];

  it.each(tampers)('finds a changed %s on the line where it happened', async (_field, change) => {
    const tampered = edit(await toJsonl(events), 2, change);
    expect(await verifyJsonl(tampered)).toEqual({ kind: 'broken', line: 3, reason: 'hash does not match the entry: it was changed after it was written' });
  });

  it.each([...tampers.filter(([field]) => field !== 'hash'), ['hmac', (e: Record<string, unknown>) => { e.hmac = 'b'.repeat(64); }], ['prev_hmac', (e: Record<string, unknown>) => { e.prev_hmac = 'c'.repeat(64); }]] as typeof tampers)(
    'with HMAC, finds a changed %s even when the hash was recomputed', async (_field, change) => {
      const text = edit(await toJsonl(events, { hmacKey: KEY }), 2, change);
      const rehashed = await rehash(text, 2);
      const r = await verifyJsonl(rehashed, { hmacKey: KEY });
      expect(r).toEqual({ kind: 'broken', line: 3, reason: 'hmac does not match the entry: it was changed (and its hash recomputed), or the key is wrong' });
    });

  it('without HMAC, a recomputed hash moves the break to the next line', async () => {
    const text = await rehash(edit(await toJsonl(events), 2, (e) => { (e.payload as { errno: number }).errno = 0; }), 2);
    expect(await verifyJsonl(text)).toEqual({
      kind: 'broken', line: 4, reason: 'prev_hash is not the hash of line 3: a line before this one was changed, removed or inserted',
    });
  });

  it('finds a deleted line as a serial gap', async () => {
    const ls = lines(await toJsonl(events));
    expect(await verifyJsonl(join([...ls.slice(0, 2), ...ls.slice(3)]))).toEqual({
      kind: 'broken', line: 3, reason: 'serial 3 where 2 was expected: 1 entry is missing before this line, or lines were reordered',
    });
    expect(await verifyJsonl(join(ls.slice(1)))).toMatchObject({ kind: 'broken', line: 1 });
  });

  it('finds reordered and duplicated lines', async () => {
    const ls = lines(await toJsonl(events));
    expect(await verifyJsonl(join([ls[0], ls[2], ls[1], ls[3], ls[4], ls[5]]))).toMatchObject({ kind: 'broken', line: 2 });
    expect(await verifyJsonl(join([ls[0], ls[1], ls[1], ls[2]]))).toEqual({
      kind: 'broken', line: 3, reason: 'serial 1 where 2 was expected: entries were reordered or duplicated',
    });
  });

  it('finds a line that is not JSON, or not an entry', async () => {
    const ls = lines(await toJsonl(events));
    const notJson = await verifyJsonl(join([ls[0], '{"serial": 1,', ...ls.slice(2)]));
    expect(notJson).toMatchObject({ kind: 'broken', line: 2 });
    expect(notJson.kind === 'broken' && notJson.reason).toMatch(/^not JSON \(/);
    expect(await verifyJsonl(join([ls[0], '[1,2]']))).toEqual({ kind: 'broken', line: 2, reason: 'not a JSON object' });
    expect(await verifyJsonl(join([ls[0], '', ls[1]]))).toEqual({ kind: 'broken', line: 2, reason: 'empty line' });
    const noHash = edit(await toJsonl(events), 0, (e) => { delete e.hash; });
    expect(await verifyJsonl(noHash)).toEqual({ kind: 'broken', line: 1, reason: 'field "hash" missing or not 64 hex digits' });
  });

  it('with a key, rejects a log written without one, and a wrong key', async () => {
    expect(await verifyJsonl(await toJsonl(events), { hmacKey: KEY })).toEqual({
      kind: 'broken', line: 1, reason: 'no "hmac" field: the log was written without an HMAC key',
    });
    expect(await verifyJsonl(await toJsonl(events, { hmacKey: KEY }), { hmacKey: 'other' })).toEqual({
      kind: 'broken', line: 1, reason: 'hmac does not match the entry: it was changed (and its hash recomputed), or the key is wrong',
    });
  });
});

describe('a trail cut short, empty, or read two ways', () => {
  it('reports a trail whose last lines were removed as incomplete, not intact', async () => {
    const ls = lines(await toJsonl(events));
    expect(await verifyJsonl(join(ls.slice(0, -1)))).toEqual({ kind: 'incomplete', entries: 5, hmacChecked: false });
    expect(await verifyJsonl(join(ls.slice(0, 3)))).toEqual({ kind: 'incomplete', entries: 3, hmacChecked: false });
    const signed = lines(await toJsonl(events, { hmacKey: KEY }));
    expect(await verifyJsonl(join(signed.slice(0, 2)), { hmacKey: KEY })).toEqual({ kind: 'incomplete', entries: 2, hmacChecked: true });
  });

  it('says an empty file is not a trail', async () => {
    for (const text of ['', '\n', '  \n\n']) expect(await verifyJsonl(text)).toEqual({ kind: 'empty' });
    expect(await verifyJsonl(new Uint8Array(0))).toEqual({ kind: 'empty' });
  });

  it('with a key, refuses an end record forged after cutting lines off', async () => {
    const ls = lines(await toJsonl(events, { hmacKey: KEY }));
    const last = JSON.parse(ls[2]) as Record<string, unknown>;
    const forged: Record<string, unknown> = {
      serial: 3, event_type: 'audit.end', payload: { entries: 3, final_hash: last.hash, final_hmac: last.hmac }, timestamp: 2.5,
      prev_hash: last.hash, prev_hmac: last.hmac, hmac: 'd'.repeat(64),
    };
    forged.hash = await sha256(canonicalJson(forged));
    expect(await verifyJsonl(join([...ls.slice(0, 3), JSON.stringify(forged)]), { hmacKey: KEY })).toEqual({
      kind: 'broken', line: 4, reason: 'hmac does not match the entry: it was changed (and its hash recomputed), or the key is wrong',
    });
  });

  it('refuses an end record that miscounts or names another hash, and lines after it', async () => {
    const ls = lines(await toJsonl(events));
    const miscount = await rehash(edit(join(ls), 5, (e) => { (e.payload as { entries: number }).entries = 4; }), 5);
    expect(await verifyJsonl(miscount)).toEqual({ kind: 'broken', line: 6, reason: 'audit.end record says 4 entries, but 5 come before it' });
    const otherHash = await rehash(edit(join(ls), 5, (e) => { (e.payload as { final_hash: string }).final_hash = GENESIS; }), 5);
    expect(await verifyJsonl(otherHash)).toEqual({ kind: 'broken', line: 6, reason: 'audit.end record: final_hash is not the hash of line 5' });
    expect(await verifyJsonl(join([...ls, ls[0]]))).toEqual({ kind: 'broken', line: 7, reason: 'a line after the audit.end record: the trail was closed at line 6' });
  });

  it('refuses an entry with a key written twice, which JSON readers resolve differently', async () => {
    const ls = lines(await toJsonl(events));
    const twice = ls[3].replace('"serial":3,', '"serial":3,"serial":3,');
    expect(await verifyJsonl(join([...ls.slice(0, 3), twice, ...ls.slice(4)]))).toEqual({
      kind: 'broken', line: 4, reason: 'key "serial" appears twice in one object: readers disagree on which value counts',
    });
    // Also inside the payload, and when spelled with an escape.
    const inPayload = ls[3].replace('"errno":', '"errno":1,"\\u0065rrno":');
    expect(await verifyJsonl(join([...ls.slice(0, 3), inPayload, ...ls.slice(4)]))).toEqual({
      kind: 'broken', line: 4, reason: 'key "errno" appears twice in one object: readers disagree on which value counts',
    });
  });

  it('reports a number no JSON reader can hold, without throwing', async () => {
    const ls = lines(await toJsonl(events));
    const huge = ls[1].replace('"timestamp":1', '"timestamp":1e400');
    expect(await verifyJsonl(join([ls[0], huge, ...ls.slice(2)]))).toEqual({
      kind: 'broken', line: 2, reason: 'a number out of range (Infinity): not an entry this tool wrote',
    });
  });
});

/** Recompute line `index`'s hash after an edit, as someone without the HMAC key could. */
async function rehash(text: string, index: number): Promise<string> {
  const ls = lines(text);
  const { hash: _old, ...rest } = JSON.parse(ls[index]) as Record<string, unknown>;
  ls[index] = JSON.stringify({ ...rest, hash: await sha256(canonicalJson(rest)) });
  return join(ls);
}
