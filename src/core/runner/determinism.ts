/**
 * Deterministic runs: time and entropy are capabilities too. With a virtual clock (a set start,
 * advancing by a set step on every read, and jumping over sleeps instead of waiting) and random
 * bytes from a seed, the same module under the same policy prints the same bytes and leaves the
 * same audit trail every time.
 */
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

/** mulberry32: a small, fast 32-bit PRNG; plenty for reproducible guest entropy (not for keys). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
