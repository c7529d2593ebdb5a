/**
 * The guided tour's bar above the playground: the step, what to try, back and next, its link; and
 * it points at the controls the step names (outlined on the page, and a button each that takes
 * the focus there).
 */
import { useEffect, useState } from 'react';
import { exampleById } from '../core/index.ts';
import { TOUR, lessonFragment, type TourControl } from '../lessons/index.ts';
import { loadGallery, prefetchOn } from './prefetch.ts';
import { showLesson, usePlayground } from './store.ts';
import { endTour, openTourStep, tourStepUrl } from './tour.ts';

/** Where each control the tour names is on the page, and what to call it. */
const CONTROLS: Record<TourControl, { selector: string; label: string }> = {
  run: { selector: '[data-tour="run"]', label: 'the Run button' },
  'audit-tab': { selector: '#run-details-tab-audit', label: 'the Audit log tab' },
  'show-denied': { selector: '.denials button.link', label: 'the link to the denials' },
  'mount-access': { selector: '#mount-access-0', label: 'the access of the first mount' },
  'fuel-fix': { selector: '.limit-card.limit-fuel .limit-fix button', label: 'the 10x fuel button' },
  fuel: { selector: '.run-limits .limit-fuel input', label: 'the fuel budget field' },
  'secrets-tab': { selector: '#policy-views-tab-secrets', label: 'the Secrets tab' },
  'call-filter': { selector: '#seccomp-profile', label: 'the call filter' },
  deterministic: { selector: '[data-tour="deterministic"]', label: 'the Deterministic box' },
};

const NONE: readonly TourControl[] = [];

const find = (control: TourControl) => document.querySelector<HTMLElement>(CONTROLS[control].selector);

/**
 * Outline the step's controls while it is open; some appear only after a run, so the page is
 * watched for them. Returns the ones on the page now.
 */
function usePointAt(points: readonly TourControl[]): Set<TourControl> {
  const [present, setPresent] = useState<Set<TourControl>>(new Set());
  useEffect(() => {
    let marked: HTMLElement[] = [];
    let frame = 0;
    const mark = () => {
      frame = 0;
      for (const el of marked) el.classList.remove('tour-target');
      marked = points.map(find).filter((el): el is HTMLElement => el !== null);
      for (const el of marked) el.classList.add('tour-target');
      const now = new Set(points.filter((p) => find(p) !== null));
      setPresent((old) => (old.size === now.size && [...now].every((p) => old.has(p)) ? old : now));
    };
    mark();
    const observer = new MutationObserver(() => {
      if (frame === 0) frame = requestAnimationFrame(mark);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
      for (const el of marked) el.classList.remove('tour-target');
    };
  }, [points]);
  return present;
}

function showControl(control: TourControl): void {
  const el = find(control);
  if (!el) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.focus({ preventScroll: true });
  el.classList.remove('tour-flash');
  void el.offsetWidth; // restart the animation
  el.classList.add('tour-flash');
}

export function TourBar() {
  const step = usePlayground((s) => s.tourStep);
  const [copied, setCopied] = useState<number | null>(null);
  const present = usePointAt(step === null ? NONE : TOUR[step].points);
  if (step === null) return null;
  const current = TOUR[step];
  const example = exampleById(current.exampleId);
  const last = step === TOUR.length - 1;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(tourStepUrl(step));
      setCopied(step);
    } catch {
      setCopied(null);
    }
  };
  return (
    <section className="tour-bar" aria-label="Guided tour">
      <div className="tour-progress" aria-hidden="true">
        {TOUR.map((_, i) => (
          <span key={i} className={i === step ? 'current' : i < step ? 'done' : undefined} />
        ))}
      </div>
      <div className="tour-text">
        <p className="tour-heading">
          <span className="badge">
            Step {step + 1} of {TOUR.length}
          </span>{' '}
          <strong>{current.title}</strong> <span className="muted">· {example?.title}</span>
        </p>
        <p className="tour-say">{current.say}</p>
        <p className="tour-points">
          <span className="muted small">Show me:</span>
          {current.points.map((p) => (
            <button key={p} type="button" className="small" disabled={!present.has(p)} onClick={() => showControl(p)}>
              {CONTROLS[p].label}
              {!present.has(p) && <span className="muted"> (after a run)</span>}
            </button>
          ))}
        </p>
      </div>
      <div className="tour-actions">
        <button type="button" onClick={() => void openTourStep(step - 1)} disabled={step === 0}>
          ‹ Back
        </button>
        {last ? (
          <button type="button" className="primary" onClick={endTour}>
            Finish
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void openTourStep(step + 1)}>
            Next ›
          </button>
        )}
        <a className="small" href={lessonFragment(step)} aria-label="Link to this step" title={tourStepUrl(step)}>
          Link to this step
        </a>
        <button type="button" className="small" onClick={() => void copy()}>
          {copied === step ? 'Copied' : 'Copy link'}
        </button>
        <button type="button" className="link small" onClick={() => showLesson(current.exampleId)} {...prefetchOn(loadGallery)}>
          The lesson
        </button>
        <button type="button" className="small" onClick={endTour}>
          End tour
        </button>
      </div>
    </section>
  );
}
