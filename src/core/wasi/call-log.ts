/**
 * The per-call audit record, built to be left on. Every WASI call a guest makes is written to
 * typed arrays (its function, time, errno and one number per argument; fd objects and path
 * strings go to one array of references) and put into words only when it leaves the worker.
 *
 * The first `live` entries stream out in batches while the run goes on. After them a ring holds
 * the latest `limit - live`, sent when the run ends; everything between is counted as dropped.
 *
 * Time: reading the clock is the dearest part of an entry (performance.now() costs as much as
 * the rest of the record together), so the live entries read it for every call and the rest read
 * it every `clockEvery` calls, and after any call that can block. An entry that did not read it
 * carries the interval it was made in: `time` the last reading before it, `timeUntil` the next.
 * The storage is preallocated and overwritten in place, so a program making millions of calls
 * allocates nothing per call but the path strings it names: entries that lived for thousands of
 * calls as objects would reach the old generation and make the garbage collector the cost.
 */
import type { CallEvent, Denial } from '../audit/events.ts';
import { WASI_CALLS } from './calls.ts';
import { MAX_PARAMS, MAX_REFS, describeKept } from './describe.ts';
import { errnoName } from './errno.ts';

/** Kept in an entry's errno until its call returns: a call that ended the run never does. */
const NOT_RETURNED = 0xffff;

/** The errno name of an entry whose call never returned (errno -1). */
export const DID_NOT_RETURN = 'DID_NOT_RETURN';

/** Entries sent per batch. */
export const CALL_LOG_BATCH = 256;

export interface CallLogOptions {
  /** Most entries kept for the run (live plus ring). */
  limit: number;
  /** How many of them stream live from the start. */
  live: number;
  /** Milliseconds since the run started (a virtual clock in deterministic runs). */
  now: () => number;
  /** After the live entries, read the clock once every this many calls (1: every call). */
  clockEvery: number;
  /** Applied to every string an entry shows (secret redaction); null for none. */
  redact: ((text: string) => string) | null;
  send: (events: CallEvent[]) => void;
}

/**
 * One entry's row of numbers: its call (index in WASI_CALLS), errno, time, flags, then its raw
 * parameters from ROW_PARAMS. One typed array for all of them keeps
 * an entry to one place in memory.
 */
const ROW_FN = 0;
const ROW_ERRNO = 1;
const ROW_TIME = 2;
/** Bit 0: the call read the clock itself; bit 1: it was denied (its denial is in `refs`). */
const ROW_FLAGS = 3;
const EXACT = 1;
const DENIED = 2;
export const ROW_PARAMS = 4;
export const ROW = ROW_PARAMS + MAX_PARAMS;
/** One entry's references: MAX_REFS fd objects and path strings, then its denial. */
export const REF_ROW = MAX_REFS + 1;

export class CallLog {
  /** Per slot, ROW numbers from `slot * ROW`: the call's raw parameters from ROW_PARAMS (see describeKept). */
  readonly rows: Float64Array;
  /** Per slot, REF_ROW references from `slot * REF_ROW`: fd objects and path strings in step order. */
  readonly refs: unknown[];
  /** The clock reading `open` made for the call it opened, NaN if it made none. */
  lastTime = NaN;
  /** The last clock reading, and how many calls until the next. */
  private reading = 0;
  private untilReading = 0;
  private seen = 0;
  /** The ring slot the next entry past the live ones goes to. */
  private next: number;
  private sent = 0;
  private readonly limit: number;
  private readonly live: number;
  private readonly ring: number;
  private readonly now: () => number;
  private readonly clockEvery: number;

  constructor(private readonly options: CallLogOptions) {
    this.limit = Math.max(0, Math.floor(options.limit));
    this.live = Math.min(Math.max(0, Math.floor(options.live)), this.limit);
    this.ring = this.limit - this.live;
    this.next = this.live;
    this.now = options.now;
    this.clockEvery = Math.max(1, Math.floor(options.clockEvery));
    // All of it at once (about 1 MB for 10,000 entries): storage replaced mid-run would make the
    // engine throw away the code it optimised for the old one, in the middle of a busy program.
    this.rows = new Float64Array(this.limit * ROW);
    this.refs = new Array<unknown>(this.limit * REF_ROW).fill(null);
  }

  /**
   * Start the entry of a call (its index in WASI_CALLS): returns the slot whose row and
   * references the caller fills, then hands back to `close`. -1 when nothing is kept (limit 0).
   */
  open(call: number): number {
    const seq = this.seen++;
    if (seq >= this.live && this.ring === 0) {
      this.lastTime = NaN;
      return -1;
    }
    let slot: number;
    let flags = EXACT;
    if (seq < this.live) {
      slot = seq;
      this.reading = this.lastTime = this.now();
    } else {
      slot = this.next;
      this.next = slot + 1 === this.limit ? this.live : slot + 1;
      if (--this.untilReading <= 0) {
        this.reading = this.lastTime = this.now();
        this.untilReading = this.clockEvery;
      } else {
        this.lastTime = NaN;
        flags = 0;
      }
    }
    const rows = this.rows;
    const at = slot * ROW;
    rows[at + ROW_FN] = call;
    rows[at + ROW_ERRNO] = NOT_RETURNED;
    rows[at + ROW_TIME] = this.reading;
    rows[at + ROW_FLAGS] = flags;
    return slot;
  }

  close(slot: number, errno: number, denial: Denial | null): void {
    if (slot < 0) return;
    const at = slot * ROW;
    this.rows[at + ROW_ERRNO] = errno;
    if (denial !== null) {
      this.refs[slot * REF_ROW + MAX_REFS] = denial;
      this.rows[at + ROW_FLAGS] += DENIED;
    }
    // Live entries leave in batches; the last one of the live run sends what is left.
    if (slot < this.live && (slot + 1) % CALL_LOG_BATCH === 0) this.flushLive(slot + 1);
  }

  /** The call just made may have waited (a sleep, a yield): the next one reads the clock. */
  waited(): void {
    this.untilReading = 0;
  }

  /** The run is over: send the live entries not yet sent, then the ring in call order. */
  finish(): void {
    this.flushLive(Math.min(this.seen, this.live));
    const kept = Math.min(Math.max(0, this.seen - this.live), this.ring);
    if (kept === 0) return;
    // Each entry that did not read the clock was made before the next reading, or before now.
    const until = new Float64Array(kept);
    let next = this.now();
    for (let k = kept - 1; k >= 0; k--) {
      const at = this.ringSlot(this.seen - kept + k) * ROW;
      until[k] = next;
      if ((this.rows[at + ROW_FLAGS] & EXACT) !== 0) next = this.rows[at + ROW_TIME];
    }
    const batch: CallEvent[] = [];
    for (let k = 0; k < kept; k++) {
      const seq = this.seen - kept + k;
      const slot = this.ringSlot(seq);
      const event = this.event(slot, seq);
      if ((this.rows[slot * ROW + ROW_FLAGS] & EXACT) === 0) event.timeUntil = until[k];
      if (k === 0 && this.dropped > 0) event.droppedBefore = this.dropped;
      batch.push(event);
      if (batch.length === CALL_LOG_BATCH) this.options.send(batch.splice(0));
    }
    if (batch.length > 0) this.options.send(batch);
  }

  private ringSlot(seq: number): number {
    return this.live + ((seq - this.live) % this.ring);
  }

  /** Calls made but not kept: the middle of a run longer than the limit. */
  get dropped(): number {
    return Math.max(0, this.seen - this.limit);
  }

  private flushLive(upTo: number): void {
    if (upTo <= this.sent) return;
    const batch: CallEvent[] = [];
    for (let slot = this.sent; slot < upTo; slot++) batch.push(this.event(slot, slot));
    this.sent = upTo;
    this.options.send(batch);
  }

  private event(slot: number, seq: number): CallEvent {
    const at = slot * ROW;
    const fn = WASI_CALLS[this.rows[at + ROW_FN]];
    const returned = this.rows[at + ROW_ERRNO] !== NOT_RETURNED;
    const errno = returned ? this.rows[at + ROW_ERRNO] : -1;
    const args = describeKept(fn, this.rows, at + ROW_PARAMS, this.refs, slot * REF_ROW);
    const event: CallEvent = {
      seq, time: this.rows[at + ROW_TIME], kind: 'call', fn, args, errno, errnoName: returned ? errnoName(errno) : DID_NOT_RETURN,
    };
    if (returned && (this.rows[at + ROW_FLAGS] & DENIED) !== 0) event.denial = this.refs[slot * REF_ROW + MAX_REFS] as Denial;
    const redact = this.options.redact;
    if (redact !== null) {
      for (const [key, value] of Object.entries(args)) {
        if (typeof value === 'string') args[key] = redact(value);
      }
      if (event.denial) event.denial = { ...event.denial, reason: redact(event.denial.reason) };
    }
    return event;
  }
}
