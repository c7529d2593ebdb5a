/**
 * The guided tour in the page: which step is open, moving between steps, the step's link in the
 * address bar, and where the person left off (localStorage), so a reload or a later visit resumes.
 * Opening a step loads its example and policy; it never runs anything.
 */
import { TOUR, lessonFragment, parseLessonFragment } from '../lessons/index.ts';
import { pageUrl } from './site.ts';
import { loadExample, setLinkNotice, usePlayground } from './store.ts';

const KEY = 'kavach-tour-step';

/** The step saved from an earlier visit (0-based), or null. */
export function savedTourStep(): number | null {
  try {
    const text = localStorage.getItem(KEY);
    const n = text === null ? NaN : Number(text);
    return Number.isInteger(n) && n >= 0 && n < TOUR.length ? n : null;
  } catch {
    return null;
  }
}

function save(step: number | null): void {
  try {
    if (step === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, String(step));
  } catch {
    // storage refused (private mode): the tour still works, it just does not resume
  }
}

/** The address of a step, for sharing. */
export function tourStepUrl(step: number): string {
  return `${pageUrl()}${lessonFragment(step)}`;
}

export async function openTourStep(step: number): Promise<void> {
  const target = TOUR[Math.max(0, Math.min(TOUR.length - 1, step))];
  const index = TOUR.indexOf(target);
  // The tour points at the policy's controls: its tab is the one shown.
  usePlayground.setState({ tourStep: index, view: 'playground', leftTab: 'policy' });
  save(index);
  history.replaceState(null, '', lessonFragment(index));
  await loadExample(target.exampleId, { variant: target.variant });
}

export function startTour(): Promise<void> {
  return openTourStep(savedTourStep() ?? 0);
}

export function endTour(): void {
  usePlayground.setState({ tourStep: null });
  save(null);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

/**
 * A "#lesson=N" address opens that step: true when it did, false when the link names no step (the
 * page says why), null when the fragment is not a lesson link at all.
 */
export async function openLessonLink(fragment: string): Promise<boolean | null> {
  const parsed = parseLessonFragment(fragment);
  if (parsed === null) return null;
  if (!parsed.ok) {
    setLinkNotice({ kind: 'error', text: `This lesson link could not be opened: ${parsed.message}` });
    return false;
  }
  await openTourStep(parsed.step);
  setLinkNotice({ kind: 'info', text: `Opened step ${parsed.step + 1} of the tour. Nothing runs until you press Run.` });
  return true;
}
