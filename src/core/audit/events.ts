/** Audit events: one per lifecycle step and one per WASI call the guest makes. */

export type LifecycleEventName = 'created' | 'started' | 'exec_begin' | 'exec_complete' | 'stopped' | 'destroyed';

/** The policy rule behind a denial, in words a person can act on. */
export interface Denial {
  /** Short machine-readable rule id, e.g. "landlock_rules[2]", "read_only_rootfs", "wasi_filter", "seccomp_profile:strict". */
  rule: string;
  /** e.g. "mount /data is read-only (policy rule 2)". */
  reason: string;
}

export interface LifecycleEvent {
  seq: number;
  /** Milliseconds since the sandbox was created. */
  time: number;
  kind: 'lifecycle';
  event: LifecycleEventName;
  detail?: string;
}

export interface CallEvent {
  seq: number;
  /** Milliseconds since the run started: when the call was made, or (with timeUntil) the earliest it can have been. */
  time: number;
  /**
   * Present when the call did not read the clock itself (past the first entries the clock is
   * read every few calls): the call was made between `time` and `timeUntil`.
   */
  timeUntil?: number;
  /** On the first entry kept after the dropped middle of a long run: how many calls were not kept before it. */
  droppedBefore?: number;
  kind: 'call';
  /** wasi_snapshot_preview1 function name. */
  fn: string;
  /** Arguments decoded for a person: fds shown with their path, flags by name, paths as strings. */
  args: Record<string, string | number | boolean>;
  errno: number;
  /** "SUCCESS", "ROFS", "BADF", ... */
  errnoName: string;
  denial?: Denial;
}

export type AuditEvent = LifecycleEvent | CallEvent;
