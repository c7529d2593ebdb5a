/**
 * The embed view, for an iframe in a course page (a link with "&embed"): the source (or the
 * module), the policy in one line with its score, Run and Stop, the output and the outcome, and a
 * link to open the same setup in the whole playground. Nothing runs until Run is pressed.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { describeOutcome, exampleById, playgroundScore, policySummary } from '../core/index.ts';
import { BuildResult } from './BuildStatus.tsx';
import { formatBytes } from './format.ts';
import { LessonCheck } from './LessonCheck.tsx';
import { OutputPane } from './OutputPane.tsx';
import { tone } from './ResultPanel.tsx';
import { makeShareLink } from './share-session.ts';
import { pageUrl } from './site.ts';
import { RUN_KEYS } from './shortcuts.ts';
import { canRun, resetSource, run, sourceEdited, stop, usePlayground } from './store.ts';

const EmbedSource = lazy(() => import('./EmbedSource.tsx'));

export default function EmbedView() {
  const module = usePlayground((s) => s.module);
  const source = usePlayground((s) => s.source);
  const notice = usePlayground((s) => s.linkNotice);
  const error = usePlayground((s) => s.moduleError);
  const exampleId = source?.exampleId ?? module?.exampleId ?? null;
  const example = exampleId === null ? undefined : exampleById(exampleId);
  const title = example?.title ?? source?.fileName ?? module?.name ?? 'Kavach Playground';
  return (
    <main className="embed" aria-label={`${title}, in Kavach Playground`}>
      <header className="embed-head">
        <h1>
          {title} {example && <span className="muted">— {example.summary}</span>}
        </h1>
        <OpenInPlayground />
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice?.kind === 'error' && (
        <p className="error" role="alert">
          {notice.text}
        </p>
      )}
      {source !== null || exampleId !== null ? (
        <Suspense fallback={<p className="muted">Loading the editor…</p>}>
          <EmbedSource />
        </Suspense>
      ) : module !== null ? (
        <p className="small">
          Module <strong className="module-name">{module.name}</strong> <span className="muted">{formatBytes(module.bytes.length)}</span>
        </p>
      ) : (
        <p className="muted">{usePlayground.getState().pendingModule ? 'This link names a module by its hash: open it in the playground to choose the file.' : 'This link names no module.'}</p>
      )}
      <PolicyLine />
      <EmbedRunBar />
      <div className="embed-output">
        <OutputPane />
      </div>
      <EmbedOutcome />
      {source !== null && source.original !== null && sourceEdited(source) && (
        <p className="small muted">
          You changed the source: Run builds your version.{' '}
          <button type="button" className="link" onClick={resetSource}>
            Reset
          </button>
        </p>
      )}
    </main>
  );
}

/** The same setup, as it is now (an edited source too), in the whole playground, in a new tab. */
function OpenInPlayground() {
  const source = usePlayground((s) => s.source);
  const policy = usePlayground((s) => s.policy.text);
  const module = usePlayground((s) => s.module);
  const [href, setHref] = useState(() => `${pageUrl()}${window.location.hash.replace(/&embed\b/, '')}`);
  useEffect(() => {
    let live = true;
    void makeShareLink(false).then((r) => live && r.ok && setHref(r.url));
    return () => {
      live = false;
    };
  }, [source, policy, module]);
  return (
    <a className="embed-open" href={href} target="_blank" rel="noopener">
      Open in the playground ↗
    </a>
  );
}

function PolicyLine() {
  const config = usePlayground((s) => s.policy.config);
  const summary = useMemo(() => policySummary(config), [config]);
  const score = useMemo(() => playgroundScore(config), [config]);
  return (
    <p className="embed-policy small" data-testid="policy-summary">
      <strong>Policy:</strong> {summary} · <strong>Score {score.display}</strong>
    </p>
  );
}

function EmbedRunBar() {
  const runnable = usePlayground((s) => canRun(s));
  const running = usePlayground((s) => s.run.status === 'running');
  return (
    <div className="embed-run row">
      <button type="button" className="primary" onClick={run} disabled={!runnable}>
        Run
      </button>
      <button type="button" onClick={stop} disabled={!running}>
        Stop
      </button>
      <span className="hint">{RUN_KEYS} runs · Esc stops · nothing runs until you press Run</span>
    </div>
  );
}

function EmbedOutcome() {
  const state = usePlayground((s) => s.run);
  const build = usePlayground((s) => s.build);
  if ((build.status === 'building' && build.thenRun) || build.status === 'failed') return <BuildResult state={build} />;
  if (state.status === 'idle') return null;
  if (state.status === 'running') return <p className="status running" role="status">Running {state.moduleName}…</p>;
  const { report } = state;
  if (!report.ok) return <p className="status bad" role="status">{state.moduleName} did not run: {report.error.message}</p>;
  const r = report.result;
  return (
    <div className="embed-outcome" role="status" aria-label="Outcome">
      <p className={`status ${tone(r)}`}>
        {state.moduleName} {describeOutcome(r.outcome)}
      </p>
      <LessonCheck />
    </div>
  );
}
