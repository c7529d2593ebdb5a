/**
 * The gallery: every example with its summary, grouped by what it teaches; the chosen one's
 * lesson, its runs under its own policy and under the lesson's change, and its source beside it.
 */
import { lazy, useEffect, useMemo, useRef } from 'react';
import { EXAMPLES, describeOutcome, exampleById, type Example } from '../core/index.ts';
import { examplesByTopic, lessonFor, type LessonVariant } from '../lessons/index.ts';
import { prepareCompare } from './compare-store.ts';
import { LazyPanel } from './LazyPanel.tsx';
import { LessonCheck } from './LessonCheck.tsx';
import { loadSourcePanel, loadSourceViewer, prefetchOn } from './prefetch.ts';
import { describeExpectation } from './lesson-run.ts';
import { tone } from './ResultPanel.tsx';
import { loadExample, resetSource, run, showLeftTab, showLesson, showView, sourceEdited, usePlayground, type RunState } from './store.ts';

const SourceViewer = lazy(loadSourceViewer);

async function runLesson(id: string, variant: LessonVariant): Promise<void> {
  if (await loadExample(id, { variant })) run();
}

/** The example's source in the playground's Source tab, editable; its policy stays if it is loaded already. */
async function editAndRebuild(id: string): Promise<void> {
  showView('playground');
  showLeftTab('source');
  await loadExample(id, { keepPolicy: usePlayground.getState().module?.exampleId === id });
}

async function openInPlayground(id: string, variant: LessonVariant): Promise<void> {
  showView('playground');
  await loadExample(id, { variant });
}

export default function GalleryView() {
  const galleryId = usePlayground((s) => s.galleryId);
  const example = exampleById(galleryId) ?? EXAMPLES[0];
  const groups = useMemo(examplesByTopic, []);
  return (
    <main className="gallery" aria-label="Example gallery">
      <nav className="gallery-list panel" aria-label="Examples and their lessons">
        {groups.map((group) => (
          <section key={group.topic} aria-label={group.topic}>
            <h2>{group.topic}</h2>
            <ul>
              {group.examples.map((ex) => (
                <li key={ex.id}>
                  <button type="button" className="gallery-item" aria-current={ex.id === example.id ? 'true' : undefined} onClick={() => showLesson(ex.id)}>
                    <strong>{ex.title}</strong>
                    <span className="muted">{ex.summary}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
      {/* Keyed, so another example's lesson starts at its top. */}
      <LessonPanel key={example.id} example={example} />
      <GallerySource example={example} />
    </main>
  );
}

/** The source, as edited in the playground when it is; Edit and rebuild takes it there. */
function GallerySource({ example }: { example: Example }) {
  const source = usePlayground((s) => (s.source?.exampleId === example.id ? s.source : null));
  const edited = sourceEdited(source) ? source!.text : null;
  return (
    <section className="gallery-source panel" aria-label="Source">
      <div className="panel-header">
        <h2>Source</h2>
        <code className="muted small">{example.source}</code>
        {edited !== null && <span className="warn-text small">edited in the playground: the lesson's runs build and run this</span>}
        <span className="spacer" />
        {edited !== null && (
          <button type="button" className="small" onClick={resetSource}>
            Reset
          </button>
        )}
        <button type="button" className="small" onClick={() => void editAndRebuild(example.id)} {...prefetchOn(loadSourcePanel)}>
          Edit and rebuild
        </button>
      </div>
      <LazyPanel loading={<p className="muted pad">Loading the editor…</p>}>
        <SourceViewer source={example.source} edited={edited} />
      </LazyPanel>
    </section>
  );
}

function LessonPanel({ example }: { example: Example }) {
  const lesson = lessonFor(example.id);
  if (!lesson) return null;
  return (
    <section className="lesson panel" aria-labelledby="lesson-heading">
      <div className="panel-header">
        <h2 id="lesson-heading">Lesson · {lesson.topic}</h2>
      </div>
      <h3 className="lesson-title">{example.title}</h3>
      <p className="muted">{example.summary}</p>
      <dl className="lesson-text">
        <dt>What it tries</dt>
        <dd>{lesson.tries}</dd>
        <dt>What stops it</dt>
        <dd>{lesson.stoppedBy}</dd>
        <dt>In the audit log</dt>
        <dd>{lesson.lookFor}</dd>
        <dt>Try this</dt>
        <dd>{lesson.tryThis.say}</dd>
      </dl>
      <div className="lesson-runs">
        <div>
          <button type="button" className="primary" onClick={() => void runLesson(example.id, 'default')}>
            Run with its policy
          </button>
          <p className="small muted">Expected: {describeExpectation(lesson.expect)}</p>
        </div>
        <div>
          <button type="button" onClick={() => void runLesson(example.id, 'tryThis')}>
            Run with the change
          </button>
          <p className="small muted">Expected: {describeExpectation(lesson.tryThis.expect)}</p>
        </div>
      </div>
      <div className="row">
        <button type="button" className="small" onClick={() => void openInPlayground(example.id, 'default')}>
          Open in the playground
        </button>
        <button type="button" className="small" onClick={() => void prepareCompare(example.id)}>
          Compare the two policies
        </button>
      </div>
      <GalleryRun exampleId={example.id} />
    </section>
  );
}

/** The latest run, when it was of this example, brought into view as it starts and ends. */
function GalleryRun({ exampleId }: { exampleId: string }) {
  const state = usePlayground((s) => s.run);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, [state.status]);
  if (state.status === 'idle' || state.exampleId !== exampleId) return null;
  return (
    <div ref={box}>
      <GalleryRunBody state={state} />
    </div>
  );
}

/** A run's outcome, the lesson's check, and its first lines of output. */
function GalleryRunBody({ state }: { state: Exclude<RunState, { status: 'idle' }> }) {
  if (state.status === 'running') {
    return (
      <p className="status running" role="status" aria-label="Lesson run">
        Running {state.moduleName}…
      </p>
    );
  }
  const { report } = state;
  if (!report.ok) {
    return (
      <p className="status bad" role="status" aria-label="Lesson run">
        {state.moduleName} did not run ({report.error.kind}): {report.error.message}
      </p>
    );
  }
  const r = report.result;
  const lines = r.stdout.split('\n').slice(0, 12).join('\n');
  return (
    <div className="gallery-run" role="status" aria-label="Lesson run">
      <p className={`status ${tone(r)}`}>
        {state.moduleName} {describeOutcome(r.outcome)}
      </p>
      <LessonCheck />
      {lines.trim() !== '' && (
        <pre className="gallery-output" role="group" aria-label="First lines of stdout" tabIndex={0}>
          {lines}
        </pre>
      )}
      <button type="button" className="link" onClick={() => showView('playground')}>
        See the output and audit log in the playground
      </button>
    </div>
  );
}
