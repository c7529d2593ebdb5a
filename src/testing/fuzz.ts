/**
 * The fuzzing harness shared by `npm test` (a fixed seed, a bounded number of cases) and
 * `npm run fuzz` (as long as asked). A target turns a seed into one case and throws when the case
 * breaks a promise; the harness counts cases and keeps the first findings with their seeds, so a
 * finding can be replayed and turned into a test.
 */
export interface FuzzTarget {
  /** Short name, as `npm run fuzz -- NAME` takes it. */
  name: string;
  /** What a case checks, in words (printed by `npm run fuzz`). */
  promise: string;
  /** One case from a seed; throws (anything) on a finding. */
  run(seed: number): Promise<void> | void;
}

export interface FuzzFinding {
  seed: number;
  message: string;
}

export interface FuzzReport {
  target: string;
  firstSeed: number;
  cases: number;
  seconds: number;
  findings: FuzzFinding[];
}

export interface FuzzOptions {
  /** First seed; case i uses seed + i. */
  seed: number;
  /** Stop after this many cases... */
  cases?: number;
  /** ...or after this many seconds, whichever comes first. */
  seconds?: number;
  /** Findings kept (the rest are counted). Default 20. */
  keep?: number;
  /** Called every so often with the running count. */
  progress?: (cases: number, findings: number) => void;
}

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const until = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const limit = options.cases ?? Infinity;
  if (limit === Infinity && until === Infinity) throw new Error('runFuzz needs cases or seconds');
  const keep = options.keep ?? 20;
  const findings: FuzzFinding[] = [];
  let found = 0;
  let cases = 0;
  let lastProgress = started;
  while (cases < limit && performance.now() < until) {
    const seed = (options.seed + cases) >>> 0;
    try {
      await target.run(seed);
    } catch (e) {
      found++;
      if (findings.length < keep) findings.push({ seed, message: e instanceof Error ? e.message : String(e) });
    }
    cases++;
    if (options.progress !== undefined && performance.now() - lastProgress > 10_000) {
      lastProgress = performance.now();
      options.progress(cases, found);
    }
  }
  return { target: target.name, firstSeed: options.seed, cases, seconds: (performance.now() - started) / 1000, findings };
}

/** A finding as one line a person can replay: target, seed and what broke. */
export function describeFinding(target: string, f: FuzzFinding): string {
  return `${target} seed ${f.seed}: ${f.message}`;
}
