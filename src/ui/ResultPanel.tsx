/** How the run ended: the outcome in words, exit code, time, what the limits saw, and why calls were denied. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { compareWithRecent } from './compare-store.ts';
import { aboutDuration, describeOutcome, fuelSeconds, limitHit, type AuditEvent, type CallEvent, type RunResult, type SandboxConfig } from '../core/index.ts';
import { download, runFileName } from './download.ts';
import { useFuelRate } from './fuel-rate.ts';
import { LessonCheck } from './LessonCheck.tsx';
import { formatBytes, formatCount, formatMs } from './format.ts';
import { runWithFix, usePlayground, type BuildState, type RunState } from './store.ts';

// Only a page that builds needs it.
const BuildResult = lazy(() => import('./BuildStatus.tsx').then((m) => ({ default: m.BuildResult })));

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  return <>{formatMs(now - since)}</>;
}

/** The colour of an outcome: a clean exit, a non-zero one, or a run the sandbox ended. */
export function tone(result: RunResult): 'ok' | 'warn' | 'bad' {
  if (result.outcome.kind === 'exit') return result.outcome.code === 0 ? 'ok' : 'warn';
  return 'bad';
}

export function ResultPanel({ onShowDenied }: { onShowDenied: () => void }) {
  const runState = usePlayground((s) => s.run);
  const build = usePlayground((s) => s.build);
  return (
    <section className="result panel" aria-labelledby="result-heading">
      <div className="panel-header">
        <h2 id="result-heading">Result</h2>
      </div>
      {showsBuild(build) ? (
        <Suspense fallback={null}>
          <BuildResult state={build} />
        </Suspense>
      ) : (
        <ResultBody state={runState} onShowDenied={onShowDenied} />
      )}
      <RecentRuns />
    </section>
  );
}

/** The last few runs, newest first; any of them can be compared with the current policy. */
function RecentRuns() {
  const recent = usePlayground((s) => s.recent);
  if (recent.length < 2) return null;
  return (
    <details className="recent-runs">
      <summary>Recent runs ({recent.length})</summary>
      <ol aria-label="Recent runs">
        {recent.map((r, i) => (
          <li key={r.id}>
            <span className={r.ok ? '' : 'bad'}>{r.moduleName}: {r.summary}</span>
            {i > 0 && (
              <button type="button" className="link" onClick={() => compareWithRecent(r.policyText)}>
                Compare its policy with the current one
              </button>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** A build Run asked for, under way, or any build that failed: the module the last run used is not the source's. */
function showsBuild(build: BuildState): build is Extract<BuildState, { status: 'building' | 'failed' }> {
  return (build.status === 'building' && build.thenRun) || build.status === 'failed';
}

function ResultBody({ state, onShowDenied }: { state: RunState; onShowDenied: () => void }) {
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
        {state.moduleName} did not run ({report.error.kind}): {report.error.message}
      </p>
    );
  }
  const r = report.result;
  return (
    <div className="result-body">
      <p className={`status ${tone(r)}`} role="status">
        <span className="outcome">{state.moduleName} {describeOutcome(r.outcome)}</span>
      </p>
      <LimitCard result={r} config={state.config} />
      <LessonCheck />
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
          <dd>{r.timed_out ? (r.outcome.kind === 'fuel_exhausted' ? 'yes (out of fuel: kavach counts it as a timeout)' : 'yes') : 'no'}</dd>
        </div>
        <Usage label="Fuel" used={r.fuel.consumed} cap={r.fuel.budget} format={formatCount} none="no budget" />
        <Usage label="Peak memory" used={r.memory.peakBytes} cap={r.memory.limitBytes} format={(n) => formatBytes(Number(n))} none="no cap" />
        <div>
          <dt>Output</dt>
          <dd>
            {formatBytes(r.stdoutBytes.length + r.stderrBytes.length)}
            {(r.truncated.stdout || r.truncated.stderr) && (
              <span className="flag bad" title={`cut at max_output_bytes (${formatBytes(state.config.max_output_bytes)})`}>
                {' '}cut at {formatBytes(state.config.max_output_bytes)} ({[r.truncated.stdout && 'stdout', r.truncated.stderr && 'stderr'].filter(Boolean).join(', ')})
              </span>
            )}
          </dd>
        </div>
      </dl>
      <Denials events={r.audit.events} onShowDenied={onShowDenied} />
      {r.gate && <GateVerdict gate={r.gate} />}
      <div className="result-actions">
        {r.stdoutBytes.length > 0 && (
          <button type="button" className="small" onClick={() => download(runFileName(state.moduleName, 'stdout', 'txt', state.startedAtWall), r.stdoutBytes, 'text/plain')}>
            Download stdout
          </button>
        )}
        {r.stderrBytes.length > 0 && (
          <button type="button" className="small" onClick={() => download(runFileName(state.moduleName, 'stderr', 'txt', state.startedAtWall), r.stderrBytes, 'text/plain')}>
            Download stderr
          </button>
        )}
        {r.module.cached && <span className="muted small">compiled module reused from cache</span>}
      </div>
    </div>
  );
}

/**
 * A run that ended at a limit: which one, the rule that set it, what that meant on this machine,
 * and the fix in one click.
 */
function LimitCard({ result, config }: { result: RunResult; config: SandboxConfig }) {
  const fuelPerSecond = useFuelRate((s) => s.fuelPerSecond);
  const running = usePlayground((s) => s.run.status === 'running');
  const hit = limitHit(result, config);
  if (hit === null) return null;
  const budget = result.outcome.kind === 'fuel_exhausted' ? result.outcome.budget : null;
  return (
    <div className={`limit-card limit-${hit.limit}`} aria-label="Why the run ended">
      <p>
        <strong>{hit.headline}</strong>
      </p>
      <p>
        {hit.because}
        {budget !== null && fuelPerSecond !== null && (
          <> On this machine that budget is {aboutDuration(fuelSeconds(budget, fuelPerSecond))} of busy CPU (this run took {formatMs(result.duration_ms)}).</>
        )}
      </p>
      {hit.fix && (
        <p className="limit-fix">
          <button type="button" className="small primary" disabled={running} onClick={() => runWithFix(hit.fix!)}>
            {hit.fix.label}
          </button>{' '}
          <span className="muted small">
            sets <code>{hit.fix.path}</code> to {hit.fix.value.toLocaleString('en-US')}
          </span>
        </p>
      )}
    </div>
  );
}

function Usage({ label, used, cap, format, none }: { label: string; used: bigint | number | null; cap: bigint | number | null; format: (n: bigint | number) => string; none: string }) {
  const fraction = used !== null && cap !== null && Number(cap) > 0 ? Math.min(1, Number(used) / Number(cap)) : null;
  return (
    <div className="usage">
      <dt>{label}</dt>
      <dd>
        {used === null ? 'not measured' : format(used)}
        <span className="muted"> / {cap === null ? none : format(cap)}</span>
        {fraction !== null && (
          <span className="meter" role="meter" aria-label={`${label} used`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
            <span style={{ width: `${Math.max(1, fraction * 100)}%` }} className={fraction >= 1 ? 'full' : undefined} />
          </span>
        )}
      </dd>
    </div>
  );
}

/** The denied calls, explained by the rule that denied them (distinct reasons, first few). */
function Denials({ events, onShowDenied }: { events: AuditEvent[]; onShowDenied: () => void }) {
  const denied = events.filter((e): e is CallEvent & { denial: NonNullable<CallEvent['denial']> } => e.kind === 'call' && e.denial !== undefined);
  if (denied.length === 0) return null;
  const reasons = [...new Map(denied.map((e) => [e.denial.reason, e])).values()];
  const shown = reasons.slice(0, 3);
  return (
    <div className="denials" aria-label="Denied calls">
      <p>
        <strong>
          {denied.length} call{denied.length === 1 ? ' was' : 's were'} denied by the policy
        </strong>{' '}
        <button type="button" className="link" onClick={onShowDenied}>
          show in the audit log
        </button>
      </p>
      <ul>
        {shown.map((e) => (
          <li key={e.seq}>
            <code>{e.fn}</code> {e.denial.reason} <span className="muted">({e.errnoName})</span>
          </li>
        ))}
        {reasons.length > shown.length && <li className="muted">and {reasons.length - shown.length} more reasons</li>}
      </ul>
    </div>
  );
}

type Gate = NonNullable<RunResult['gate']>;

/** What the output gate did with what the run printed: redacted, held back, or discarded. */
function GateVerdict({ gate }: { gate: Gate }) {
  const [revealed, setRevealed] = useState(false);
  if (gate.verdict === 'pass' && gate.notes.length === 0) return null;
  const verdict = {
    pass: 'passed',
    warn: 'secret-looking text redacted',
    quarantine: 'output quarantined',
    block: 'output blocked',
  }[gate.verdict];
  // The reason starts with the verdict ("output blocked at stdout ..."), so it stands in for it.
  return (
    <div className={`gate gate-${gate.verdict}`} aria-label="Output gate">
      <p>
        <strong>Output gate:</strong> {gate.reason ?? verdict}
      </p>
      {gate.findings.length > 0 && (
        <ul>
          {gate.findings.slice(0, 5).map((f, i) => (
            <li key={i}>
              <code>{f.pattern}</code> ({f.severity}) on {f.stream}: <code>{f.evidence}</code>
            </li>
          ))}
          {gate.findings.length > 5 && <li className="muted">and {gate.findings.length - 5} more</li>}
        </ul>
      )}
      {gate.matches > gate.findings.length && (
        <p className="muted small">
          {gate.matches} matches in all; kavach counts one finding per pattern (its first match).
        </p>
      )}
      {gate.error && (
        <p className="muted small">
          kavach&apos;s message: <code>{gate.error}</code>
        </p>
      )}
      {gate.notes.map((n, i) => (
        <p key={i} className="muted small">
          {n}
        </p>
      ))}
      {gate.quarantined && (
        revealed ? (
          <pre className="quarantined" aria-label="Quarantined output">{gate.quarantined.stdout}{gate.quarantined.stderr && <span className="stderr">{gate.quarantined.stderr}</span>}</pre>
        ) : (
          <button type="button" className="small" onClick={() => setRevealed(true)}>
            Reveal quarantined output
          </button>
        )
      )}
    </div>
  );
}
