/**
 * Deterministic runs: time and entropy are capabilities too. With a virtual clock (a set start,
 * advancing by a set step on every read, and jumping over sleeps instead of waiting) and random
 * bytes from a seed, the same module under the same policy prints the same bytes and leaves the
 * same audit trail every time.
 */
import { mulberry32 } from '../util/prng.ts';
import type { Clocks } from '../wasi/syscalls.ts';

export interface DeterminismPlan {
  /** Realtime clock at the start, in nanoseconds since the Unix epoch. */
  startNs: bigint;
  /** Nanoseconds every clock read advances the clock by. */
  stepNs: bigint;
  seed: number;
}

export interface VirtualWorld {
  clocks: Clocks;
  /** A sleep takes no real time: the virtual clock jumps forward. */
  sleep(ns: bigint): void;
  random(into: Uint8Array): void;
  /** The virtual monotonic time in milliseconds, for audit timestamps. */
  nowMs(): number;
}

export function virtualWorld(plan: DeterminismPlan): VirtualWorld {
  let elapsed = 0n;
  const read = () => {
    const t = elapsed;
    elapsed += plan.stepNs;
    return t;
  };
  const next = mulberry32(plan.seed);
  return {
    clocks: {
      realtime: () => plan.startNs + read(),
      monotonic: read,
      cputime: read,
      resolution: plan.stepNs,
    },
    sleep(ns) {
      elapsed += ns;
    },
    random(into) {
      for (let i = 0; i < into.length; i += 4) {
        const word = next();
        for (let k = 0; k < 4 && i + k < into.length; k++) into[i + k] = (word >>> (8 * k)) & 0xff;
      }
    },
    nowMs: () => Number(elapsed) / 1e6,
  };
}
