/** After a run of an example under its lesson's policy: did it end as the lesson says? */
import { useMemo } from 'react';
import { describeExpectation, lessonVerdict } from './lesson-run.ts';
import { usePlayground } from './store.ts';

export function LessonCheck() {
  const run = usePlayground((s) => s.run);
  const verdict = useMemo(
    () => (run.status === 'done' && run.report.ok ? lessonVerdict(run.exampleId, run.config, run.report.result, run.edited) : null),
    [run],
  );
  if (!verdict) return null;
  const which = (verdict.variant === 'default' ? 'its own policy' : 'the lesson\'s change') + (verdict.edited ? ', with your edited program (its own output aside)' : '');
  if (verdict.mismatches.length === 0) {
    return (
      <p className="lesson-check ok" data-testid="lesson-check">
        ✓ As the lesson says for {which}: {describeExpectation(verdict.expected)}
      </p>
    );
  }
  return (
    <div className="lesson-check bad" data-testid="lesson-check">
      <p>✗ Not what the lesson says for {which}:</p>
      <ul>
        {verdict.mismatches.map((m, i) => (
          <li key={i}>
            {m.what}: expected {m.expected}, got {m.got}
          </li>
        ))}
      </ul>
    </div>
  );
}
