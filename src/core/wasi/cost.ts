/**
 * What a WASI call costs in fuel: the host's work on the guest's behalf is metered like the
 * guest's own, so that no call can make the host do unbounded work for a bounded charge (a
 * thousand calls of random_get over 256 MiB once cost 11,000 fuel and three minutes of host CPU).
 *
 * Every call pays HOST_CALL_FUEL, then for the work its arguments ask for, before the host
 * does any of it: a call the budget cannot pay for ends the run out of fuel instead of running.
 * The rates follow the instrumenter's model (one unit for about one operator's worth of work,
 * bulk memory at 1 per 64 bytes) scaled to what the host really spends:
 * - bytes moved between guest memory and the host (the iovecs of reads and writes, paths,
 *   names, args and environment, a readdir buffer): 1 per 8 bytes, asked-for length, not
 *   the length that turned out to move;
 * - random bytes: 1 per byte (generating them costs several times a copy);
 * - fd_readdir: 1 per entry of the directory (listing it is linear in its size);
 * - poll_oneoff: POLL_SUBSCRIPTION_FUEL per subscription;
 * - waiting (a poll_oneoff sleep) under a policy with fuel and no timeout: 1 per nanosecond
 *   asked for, kavach's own rate (its budget is timeout_ms x 1,000,000, one unit per
 *   nanosecond), so that the run still ends: a sleep the budget cannot pay for ends the run
 *   without sleeping. With a timeout, the deadline ends a wait and the wait costs no fuel.
 */

export const HOST_CALL_FUEL = 100;
/** log2 of the bytes moved per unit of fuel. */
export const BYTES_PER_FUEL_SHIFT = 3;
export const RANDOM_BYTES_PER_FUEL = 1;
export const READDIR_ENTRY_FUEL = 1;
export const POLL_SUBSCRIPTION_FUEL = 100;
export const SLEEP_NS_PER_FUEL = 1n;

/** Fuel for moving `bytes` bytes. */
export function bytesFuel(bytes: number): number {
  return Math.ceil(bytes / (1 << BYTES_PER_FUEL_SHIFT));
}

/** Where a run's fuel is charged for host work. */
export interface Meter {
  /**
   * Charge `fuel` units. When the budget cannot pay, the run ends here, out of fuel: this does not
   * return to the guest.
   */
  charge(fuel: number | bigint): void;
}
