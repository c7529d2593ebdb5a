/**
 * The guided tour: a handful of steps through the gallery, each loading an example with a policy
 * and saying what to try. A step has a link of its own, "#lesson=N" (1-based); parsing one only
 * names a step, it never runs anything.
 */
import type { LessonVariant } from './lessons.ts';

/** Controls of the page a step tells the person to use, so the page can point at them. */
export const TOUR_CONTROLS = ['run', 'audit-tab', 'show-denied', 'mount-access', 'fuel-fix', 'fuel', 'secrets-tab', 'call-filter', 'deterministic'] as const;
export type TourControl = (typeof TOUR_CONTROLS)[number];

export interface TourStep {
  exampleId: string;
  /** Which policy the step loads: the example's own, or its lesson's change. */
  variant: LessonVariant;
  title: string;
  /** What to do and what to see, in a sentence or three. */
  say: string;
  /** The controls `say` names, in the order it names them. */
  points: readonly TourControl[];
}

export const TOUR: readonly TourStep[] = [
  {
    exampleId: 'hello',
    variant: 'default',
    title: 'Run something',
    say: 'Press Run (or Ctrl+Enter). Then open the Audit log tab: every call the module made to the host is there, with its result. This is all a WASI program can do: call the host.',
    points: ['run', 'audit-tab'],
  },
  {
    exampleId: 'ro_attack',
    variant: 'default',
    title: 'A read-only mount holds',
    say: 'Run it: 21 different ways to write to /data, each refused with EROFS. Press "show in the audit log" to see the rule behind each denial. Then switch /data to read-write in the form and run it again.',
    points: ['run', 'show-denied', 'mount-access'],
  },
  {
    exampleId: 'escape',
    variant: 'default',
    title: 'There is no way out',
    say: 'Run it: "..", absolute paths and symlinks all end at the edge of the mounts (leaked=0). There is nothing outside to deny: the files simply do not exist for the module.',
    points: ['run'],
  },
  {
    exampleId: 'loop',
    variant: 'default',
    title: 'Fuel, then the wall clock',
    say: 'Run it: the infinite loop runs out of fuel long before its 2 s timeout, and the result says why (the budget came from the timeout, by kavach\'s rule). Press "Run again with 10x the fuel", or set Fuel budget to 1000000000000000: now the wall-clock timeout kills the worker at 2 s instead.',
    points: ['run', 'fuel-fix', 'fuel'],
  },
  {
    exampleId: 'secret_snoop',
    variant: 'default',
    title: 'Secrets the module can use but not leak',
    say: 'Run it: the module reads an API token and a password file, yet both come out as [REDACTED:…]. Look at the Secrets tab: the policy names them, the values stay in this tab.',
    points: ['run', 'secrets-tab'],
  },
  {
    exampleId: 'net_probe',
    variant: 'default',
    title: 'Refusing calls',
    say: 'Run it: the basic call filter refuses five socket and signal calls with ENOSYS (52), and the audit log names the rule. Set the call filter to off and run again to see what is left without it.',
    points: ['run', 'audit-tab', 'call-filter'],
  },
  {
    exampleId: 'clock_random',
    variant: 'tryThis',
    title: 'Time and entropy are capabilities',
    say: 'This run is deterministic: a virtual clock and seeded random bytes. Run it twice: the output and the audit log are identical. Untick "Deterministic" in the form and the values change on every run.',
    points: ['run', 'deterministic'],
  },
];

export type TourLink = { ok: true; step: number } | { ok: false; message: string };

const LESSON_FRAGMENT = /^#?lesson=(.*)$/;

/** A "#lesson=N" fragment: the 0-based step, or why not; null for any other fragment. */
export function parseLessonFragment(fragment: string): TourLink | null {
  const match = LESSON_FRAGMENT.exec(fragment);
  if (!match) return null;
  const text = match[1];
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > TOUR.length) {
    return { ok: false, message: `"${text.slice(0, 20)}" is not a step of the tour: it has steps 1 to ${TOUR.length}.` };
  }
  return { ok: true, step: n - 1 };
}

export function lessonFragment(step: number): string {
  return `#lesson=${step + 1}`;
}
