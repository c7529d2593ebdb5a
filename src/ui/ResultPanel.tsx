/** How the run ended: the outcome in words, exit code, time, and what the limits saw. */
import { useEffect, useState } from 'react';
import { describeOutcome, type RunResult } from '../core/index.ts';
import { formatMs } from './format.ts';
import { usePlayground, type RunState } from './store.ts';

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  return <>{formatMs(now - since)}</>;
}

function tone(result: RunResult): 'ok' | 'warn' | 'bad' {
  if (result.outcome.kind === 'exit') return result.outcome.code === 0 ? 'ok' : 'warn';
  return 'bad';
}

export function ResultPanel() {
  const runState = usePlayground((s) => s.run);
  return (
    <section className="result panel" aria-labelledby="result-heading">
      <div className="panel-header">
        <h2 id="result-heading">Result</h2>
      </div>
      <ResultBody state={runState} />
    </section>
  );
}

function ResultBody({ state }: { state: RunState }) {
  if (state.status === 'idle') return <p className="muted">Pick an example or drop a .wasm file, then press Run.</p>;
  if (state.status === 'running') {
    return (
      <p className="status running" role="status">
        Running {state.moduleName}… <Elapsed since={state.startedAt} />
      </p>
    );
  }
  const { report } = state;
  if (!report.ok) {
    return (
      <p className="status bad" role="status">
        {state.moduleName} did not run: {report.error.message}
      </p>
    );
  }
  const r = report.result;
  return (
    <div role="status" className="result-body">
      <p className={`status ${tone(r)}`}>
        <span className="outcome">{state.moduleName} {describeOutcome(r.outcome)}</span>
      </p>
      <dl className="facts">
        <div>
          <dt>Exit code</dt>
          <dd data-testid="exit-code">{r.exit_code}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatMs(r.duration_ms)}</dd>
        </div>
        <div>
          <dt>Timed out</dt>
          <dd>{r.timed_out ? 'yes' : 'no'}</dd>
        </div>
      </dl>
    </div>
  );
}
