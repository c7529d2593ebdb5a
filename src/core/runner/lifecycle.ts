/** kavach's sandbox lifecycle: its states, its valid transitions, its error messages. */

export type SandboxState = 'created' | 'running' | 'paused' | 'stopped' | 'destroyed';

const VALID: Record<SandboxState, readonly SandboxState[]> = {
  created: ['running'],
  running: ['paused', 'stopped', 'destroyed'],
  paused: ['running', 'stopped', 'destroyed'],
  stopped: ['destroyed'],
  destroyed: [],
};

/**
 * kavach's error kinds (error.rs), the whole documented set. Two are never an error here, as in
 * kavach's WASM backend: a timeout is a result (outcome `timeout` or `fuel_exhausted`, exit 124
 * from the CLI), and withheld output is the result's gate verdict, which carries the
 * ExternalizationBlocked message. They stay in the set so that a kind kavach documents is a
 * kind this type knows; a worker never sends them (see WorkerErrorKind).
 */
export type SandboxErrorKind =
  | 'BackendUnavailable' | 'CreationFailed' | 'ExecFailed' | 'Timeout' | 'PolicyViolation'
  | 'CredentialError' | 'InvalidTransition' | 'ExternalizationBlocked';

/** The kinds a run's worker fails with: not the two that are results here. */
export type WorkerErrorKind = Exclude<SandboxErrorKind, 'Timeout' | 'ExternalizationBlocked'>;

/** An error with kavach's kind; its message is kavach's ("sandbox execution failed: ..."). */
export class SandboxError extends Error {
  constructor(readonly kind: SandboxErrorKind, message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}

export class Lifecycle {
  private current: SandboxState = 'created';
  constructor(private readonly onChange: (from: SandboxState, to: SandboxState) => void = () => {}) {}
  get state(): SandboxState {
    return this.current;
  }
  canMove(to: SandboxState): boolean {
    return VALID[this.current].includes(to);
  }
  /**
   * Move to `to` or throw kavach's InvalidTransition error, worded as its Display writes it
   * (lifecycle/mod.rs 1.0.1:258-265, error.rs:34): the reason is ours, for the audit trail only.
   */
  transition(to: SandboxState, _reason: string): void {
    if (!this.canMove(to)) {
      throw new SandboxError('InvalidTransition', `lifecycle error: ${this.current} -> ${to}: invalid state transition`);
    }
    const from = this.current;
    this.current = to;
    this.onChange(from, to);
  }
  /** exec needs a running sandbox (kavach: ExecFailed wrapping "sandbox is X, not running", error.rs:17-19). */
  requireRunning(): void {
    if (this.current !== 'running') throw new SandboxError('ExecFailed', `sandbox execution failed: sandbox is ${this.current}, not running`);
  }
}
