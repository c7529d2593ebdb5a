import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../audit/events.ts';
import { CALL_LOG_BATCH, CallLog, DID_NOT_RETURN, REF_ROW } from './call-log.ts';
import { E, FILTER_DENIED_ERRNO } from './errno.ts';
import { DirFd, RIGHTS_DIR_BASE, RIGHTS_FILE_BASE, RIGHTS_MUTATING, fixedStdin } from './fds.ts';
import { createSyscalls, type CallGate } from './syscalls.ts';
import { buildTree } from './tree.ts';
import { FsBudget } from './budget.ts';

/** A WASI world over a real memory, one mount at /m (read-only if asked), recording into a CallLog. */
function world(log: CallLog | null, readOnly = false, sleep: (ns: bigint) => void = () => {}, gate: CallGate | null = null) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const info = { path: '/m', readOnly, rule: 0, readOnlyReason: readOnly ? 'mount /m is read-only (policy rule 0)' : null };
  const budget = new FsBudget({ maxBytes: 1 << 20, maxInodes: 100, maxFileBytes: 1 << 20 });
  const root = buildTree(info, [{ path: 'hello.txt', data: new TextEncoder().encode('hi') }], 0n, budget);
  const syscalls = createSyscalls({
    args: [], env: [], stdin: fixedStdin(new Uint8Array()), stdout: () => {}, stderr: () => {},
    preopens: [{ guestPath: '/m', fd: (ctx) => new DirFd(root, '/m', ctx, RIGHTS_DIR_BASE & (readOnly ? ~RIGHTS_MUTATING : ~0n), RIGHTS_DIR_BASE | RIGHTS_FILE_BASE, '/m') }],
    clocks: { realtime: () => 0n, monotonic: () => 0n, cputime: () => 0n, resolution: 1000n },
    random: () => {}, sleep, gate, audit: log, budget, meter: null,
  });
  (syscalls.wasi as unknown as { inst: unknown }).inst = { exports: { memory } };
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  const call = (name: string, ...args: (number | bigint)[]) => (syscalls.imports[name] as (...a: unknown[]) => number)(...args);
  const put = (at: number, text: string) => bytes.set(new TextEncoder().encode(text), at);
  /** Open `path` under /m (fd 3) at memory offset 100; the new fd is read from offset 8. */
  const open = (path: string, oflags = 0) => {
    put(100, path);
    const errno = call('path_open', 3, 0, 100, path.length, oflags, RIGHTS_FILE_BASE, RIGHTS_FILE_BASE, 0, 8);
    return { errno, fd: view.getUint32(8, true) };
  };
  return { call, put, open, bytes, view };
}

function recorder(limit: number, live: number, redact: ((s: string) => string) | null = null, clockEvery = 1) {
  const batches: CallEvent[][] = [];
  let clock = 0;
  const log = new CallLog({ limit, live, now: () => ++clock, redact, clockEvery, send: (events) => batches.push(events) });
  return { log, batches, events: () => batches.flat(), reads: () => clock };
}

describe('CallLog', () => {
  it('keeps the first entries and the latest, in call order, and counts the dropped middle', () => {
    const { log, events } = recorder(10, 4);
    const w = world(log);
    for (let i = 0; i < 25; i++) w.call('fd_seek', 3, BigInt(i), 0, 16);
    log.finish();
    const kept = events();
    expect(kept.map((e) => e.seq)).toEqual([0, 1, 2, 3, 19, 20, 21, 22, 23, 24]);
    expect(kept.map((e) => e.args.offset)).toEqual([0, 1, 2, 3, 19, 20, 21, 22, 23, 24]);
    expect(kept.map((e) => e.time)).toEqual([1, 2, 3, 4, 20, 21, 22, 23, 24, 25]);
    expect(log.dropped).toBe(15);
    // The first entry after the gap says how many calls the gap holds.
    expect(kept.map((e) => e.droppedBefore)).toEqual([undefined, undefined, undefined, undefined, 15, undefined, undefined, undefined, undefined, undefined]);
    // fd 3 is a directory: seeking it is refused, and the errno is by name.
    expect(kept[0]).toMatchObject({ kind: 'call', fn: 'fd_seek', errnoName: 'ISDIR', args: { fd: '3 (/m)', whence: 'set' } });
  });

  it('past the live entries reads the clock every few calls, and gives the others the interval they were made in', () => {
    const { log, events, reads } = recorder(20, 2, null, 4);
    const w = world(log);
    for (let i = 0; i < 12; i++) w.call('fd_close', 50 + i);
    log.finish();
    const kept = events();
    // The two live entries read the clock (1, 2); then the first call after them (3) and every
    // 4th call from there (4, 5); the end of the run reads it once more (6).
    expect(reads()).toBe(6);
    expect(kept.map((e) => [e.time, e.timeUntil])).toEqual([
      [1, undefined], [2, undefined],
      [3, undefined], [3, 4], [3, 4], [3, 4],
      [4, undefined], [4, 5], [4, 5], [4, 5],
      [5, undefined], [5, 6],
    ]);
    for (const e of kept) if (e.timeUntil !== undefined) expect(e.timeUntil).toBeGreaterThanOrEqual(e.time);
  });

  it('reads the clock again right after a call that may have waited', () => {
    const { log, events } = recorder(20, 1, null, 100);
    const w = world(log);
    w.call('fd_close', 50); // live: reads (1)
    w.call('fd_close', 51); // counts down from 0: reads (2)
    w.call('fd_close', 52); // shares reading 2
    w.call('sched_yield'); // shares reading 2
    w.call('fd_close', 53); // after a yield: reads (3)
    log.finish(); // reads (4)
    expect(events().map((e) => [e.fn, e.time, e.timeUntil])).toEqual([
      ['fd_close', 1, undefined], ['fd_close', 2, undefined], ['fd_close', 2, 3], ['sched_yield', 2, 3], ['fd_close', 3, undefined],
    ]);
  });

  it('with no room past the live entries keeps those and counts the rest', () => {
    const { log, events } = recorder(3, 3);
    const w = world(log);
    for (let i = 0; i < 50; i++) w.call('fd_close', 100 + i);
    log.finish();
    expect(events().map((e) => e.args.fd)).toEqual(['100 (closed)', '101 (closed)', '102 (closed)']);
    expect(log.dropped).toBe(47);
    expect(log.refs).toHaveLength(3 * REF_ROW);
  });

  it('streams live entries in batches while the run goes on, before it finishes', () => {
    const { log, batches } = recorder(10_000, 1000);
    const w = world(log);
    for (let i = 0; i < CALL_LOG_BATCH * 2 + 5; i++) w.call('sched_yield');
    expect(batches.map((b) => b.length)).toEqual([CALL_LOG_BATCH, CALL_LOG_BATCH]);
    log.finish();
    expect(batches.map((b) => b.length)).toEqual([CALL_LOG_BATCH, CALL_LOG_BATCH, 5]);
    expect(batches.flat().map((e) => e.seq)).toEqual([...Array(CALL_LOG_BATCH * 2 + 5).keys()]);
  });

  it('records nothing with a limit of 0 but still counts every call', () => {
    const { log, events } = recorder(0, 1000);
    const w = world(log);
    w.call('sched_yield');
    w.call('fd_close', 9);
    log.finish();
    expect(events()).toEqual([]);
    expect(log.dropped).toBe(2);
  });

  it('reads a path when the call is made, not when the entry is described', () => {
    const { log, events } = recorder(100, 100);
    const w = world(log);
    const { errno, fd } = w.open('hello.txt');
    expect(errno).toBe(E.SUCCESS);
    w.put(100, 'XXXXXXXXX'); // the guest reuses the buffer
    w.view.setUint32(200, 300, true); // iovec: 2 bytes at 300
    w.view.setUint32(204, 2, true);
    w.call('fd_read', fd, 200, 1, 16);
    w.call('fd_close', fd);
    log.finish();
    const [opened, read, closed] = events();
    expect(opened).toMatchObject({ fn: 'path_open', args: { fd: '3 (/m)', path: 'hello.txt', dirflags: '0' }, errnoName: 'SUCCESS' });
    // The fd keeps the path it had when used, though it was closed before the entry was described.
    expect(read).toMatchObject({ fn: 'fd_read', args: { fd: `${fd} (/m/hello.txt)`, bytes: 2 } });
    expect(closed).toMatchObject({ fn: 'fd_close', args: { fd: `${fd} (/m/hello.txt)` } });
  });

  it('shows paths that are not UTF-8 or lie outside memory, and long ones cut at 4 KiB', () => {
    const { log, events } = recorder(100, 100);
    const w = world(log);
    w.bytes.set([0x61, 0xff, 0x62], 100);
    w.call('path_unlink_file', 3, 100, 3);
    w.call('path_unlink_file', 3, 65530, 100);
    w.put(1000, 'a'.repeat(5000));
    w.call('path_create_directory', 3, 1000, 5000);
    log.finish();
    const [bad, outside, long] = events();
    expect(bad.args.path).toBe('a\uFFFDb');
    expect(bad.errnoName).toBe('ILSEQ');
    expect(outside.args.path).toBe('<out of bounds>');
    expect(outside.errnoName).toBe('FAULT');
    expect(long.args.path).toBe('a'.repeat(4096));
  });

  it('does not carry a denial or a path from an overwritten ring entry into the next one', () => {
    const { log, events } = recorder(3, 1);
    const w = world(log, true);
    w.call('sched_yield'); // live
    w.open('new.txt', 1); // O_CREAT on a read-only mount: denied
    w.call('fd_close', 77);
    w.call('fd_close', 78);
    w.call('fd_close', 79); // overwrites the denied entry's slot
    log.finish();
    const kept = events();
    expect(kept.map((e) => e.fn)).toEqual(['sched_yield', 'fd_close', 'fd_close']);
    expect(kept.map((e) => e.args.fd)).toEqual([undefined, '78 (closed)', '79 (closed)']);
    expect(kept.every((e) => e.denial === undefined)).toBe(true);
    expect(kept.slice(1).map((e) => e.errnoName)).toEqual(['BADF', 'BADF']);
  });

  it('keeps the denial of a refused call with the rule behind it', () => {
    const { log, events } = recorder(10, 10);
    const w = world(log, true);
    expect(w.open('new.txt', 1).errno).toBe(E.ROFS);
    log.finish();
    const [denied] = events();
    expect(denied).toMatchObject({ fn: 'path_open', errnoName: 'ROFS', args: { path: 'new.txt', oflags: 'CREAT' } });
    expect(denied.denial?.reason).toMatch(/read-only/);
  });

  it('redacts every string it shows, paths and denial reasons included', () => {
    const { log, events } = recorder(10, 10, (s) => s.replaceAll('hunter2', '[REDACTED:secret:PW]'));
    const w = world(log, true);
    w.open('hunter2.txt', 1);
    log.finish();
    const [entry] = events();
    expect(entry.args.path).toBe('[REDACTED:secret:PW].txt');
    expect(JSON.stringify(entry)).not.toContain('hunter2');
  });

  it('lists a call that ended the run inside it as one that did not return', () => {
    const { log, events } = recorder(10, 10);
    const w = world(log, false, () => {
      throw new Error('deadline reached while sleeping');
    });
    // One subscription: the monotonic clock, 1 s from now.
    w.view.setUint8(1000 + 8, 0);
    w.view.setUint32(1000 + 16, 1, true);
    w.view.setBigUint64(1000 + 24, 1_000_000_000n, true);
    expect(() => w.call('poll_oneoff', 1000, 2000, 1, 3000)).toThrow(/deadline/);
    log.finish();
    const [entry] = events();
    expect(entry).toMatchObject({ fn: 'poll_oneoff', errno: -1, errnoName: DID_NOT_RETURN, args: { subscriptions: 1 } });
    expect(entry.denial).toBeUndefined();
  });

  it('returns FILTER_DENIED_ERRNO for a filtered call without running it, audited or not', () => {
    const gate: CallGate = {
      check: (call) => (call === 'path_open' ? { allowed: false, rule: 'wasi_filter', reason: 'path_open is on the denylist' } : { allowed: true }),
    };
    const { log, events } = recorder(10, 10);
    for (const w of [world(log, false, undefined, gate), world(null, false, undefined, gate)]) {
      w.view.setUint32(8, 0xdead, true);
      expect(w.open('hello.txt').errno).toBe(FILTER_DENIED_ERRNO);
      // Not run: no descriptor was written out.
      expect(w.view.getUint32(8, true)).toBe(0xdead);
      expect(w.call('fd_close', 3)).toBe(E.SUCCESS);
    }
    log.finish();
    const [denied, closed] = events();
    expect(denied).toMatchObject({ fn: 'path_open', errno: FILTER_DENIED_ERRNO, denial: { rule: 'wasi_filter', reason: 'path_open is on the denylist' } });
    expect(closed).toMatchObject({ fn: 'fd_close', errno: E.SUCCESS });
  });

  it('leaves the calls working the same with auditing off', () => {
    const w = world(null);
    const { errno, fd } = w.open('hello.txt');
    expect(errno).toBe(E.SUCCESS);
    expect(w.call('fd_close', fd)).toBe(E.SUCCESS);
    expect(w.call('fd_close', fd)).toBe(E.BADF);
  });
});
