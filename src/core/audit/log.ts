/** A run's audit trail in memory: a ring buffer that keeps the last N events and counts the rest. */
import type { AuditEvent } from './events.ts';

/** Enough for every call of a typical run; a busy loop of calls keeps its last 10,000. */
export const DEFAULT_AUDIT_CAPACITY = 10_000;

export interface AuditSnapshot {
  /** The kept events, oldest first. */
  events: AuditEvent[];
  /** How many earlier events were dropped to stay within the capacity. */
  dropped: number;
}

export class AuditLog {
  readonly capacity: number;
  readonly #ring: AuditEvent[] = [];
  /** Index in #ring of the oldest event once the ring is full. */
  #head = 0;
  #dropped = 0;

  constructor(capacity: number = DEFAULT_AUDIT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`audit log capacity must be a whole number of events, at least 1 (got ${capacity})`);
    }
    this.capacity = capacity;
  }

  push(event: AuditEvent): void {
    if (this.#ring.length < this.capacity) {
      this.#ring.push(event);
      return;
    }
    this.#ring[this.#head] = event;
    this.#head = (this.#head + 1) % this.capacity;
    this.#dropped++;
  }

  get size(): number {
    return this.#ring.length;
  }

  get dropped(): number {
    return this.#dropped;
  }

  snapshot(): AuditSnapshot {
    return { events: [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)], dropped: this.#dropped };
  }
}
