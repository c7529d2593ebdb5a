/** The guided tour's bar above the playground: the step, what to try, back and next, its link. */
import { useState } from 'react';
import { TOUR, exampleById, lessonFragment } from '../core/index.ts';
import { showLesson, usePlayground } from './store.ts';
import { endTour, openTourStep, tourStepUrl } from './tour.ts';

export function TourBar() {
  const step = usePlayground((s) => s.tourStep);
  const [copied, setCopied] = useState<number | null>(null);
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
        <button type="button" className="link small" onClick={() => showLesson(current.exampleId)}>
          The lesson
        </button>
        <button type="button" className="small" onClick={endTour}>
          End tour
        </button>
      </div>
    </section>
  );
}
