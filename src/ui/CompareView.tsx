/**
 * Two runs of one module under two policies, side by side: what B changes, how each run ended,
 * the two scores, and the two audit logs aligned call by call.
 */
import { useMemo } from 'react';
import {
  alignAudit,
  describeOutcome,
  loadDocument,
  playgroundScore,
  policyDiff,
  type AlignedRow,
  type AuditEvent,
  type LoadResult,
  type PolicyChange,
} from '../core/index.ts';
import { argsText } from './audit-filter.ts';
import { copyAToB, runCompare, setCompareText, setOnlyDifferences, stopCompare, useCompare, type CompareSide } from './compare-store.ts';
import { formatMs } from './format.ts';
import { tone } from './ResultPanel.tsx';
import { usePlayground } from './store.ts';
import { VirtualTable, type Column } from './VirtualTable.tsx';

const ROW_HEIGHT = 26;

const COLUMNS: Column[] = [
  { className: 'c-mark', header: <span className="visually-hidden">Difference</span> },
  { className: 'c-fn', header: 'Call' },
  { className: 'c-args', header: 'Arguments' },
  { className: 'c-side', header: 'A' },
  { className: 'c-side', header: 'B' },
];

export default function CompareView() {
  const module = usePlayground((s) => s.module);
  const { textA, textB, running, result } = useCompare();
  const a = useMemo(() => loadDocument(textA), [textA]);
  const b = useMemo(() => loadDocument(textB), [textB]);
  const diff = useMemo(() => (a.ok && b.ok ? policyDiff(a.config, b.config) : null), [a, b]);
  return (
    <main className="compare" aria-label="Compare two runs">
      <section className="panel compare-head">
        <div className="panel-header">
          <h2>Compare two runs</h2>
          <span className="muted">
            of <strong className="module-name">{module?.name ?? 'no module'}</strong> (the playground's module), under policy A and policy B
          </span>
          <span className="spacer" />
          {running ? (
            <button type="button" onClick={stopCompare}>
              Stop
            </button>
          ) : (
            <button type="button" className="primary" disabled={!module || !a.ok || !b.ok} onClick={() => void runCompare()}>
              Run both
            </button>
          )}
        </div>
        <div className="compare-policies">
          <PolicyText side="a" text={textA} loaded={a} />
          <PolicyText side="b" text={textB} loaded={b} />
        </div>
        <PolicyChanges diff={diff} />
      </section>
      {running && (
        <p className="status running" role="status">
          Running both…
        </p>
      )}
      {result && (
        <>
          <div className="compare-outcomes">
            <SideOutcome label="A" moduleName={result.moduleName} side={result.a} />
            <SideOutcome label="B" moduleName={result.moduleName} side={result.b} />
          </div>
          <AlignedAudit a={result.a} b={result.b} />
        </>
      )}
    </main>
  );
}

function PolicyText({ side, text, loaded }: { side: 'a' | 'b'; text: string; loaded: LoadResult }) {
  const label = side.toUpperCase();
  const score = loaded.ok ? playgroundScore(loaded.config) : null;
  return (
    <div className="compare-policy">
      <div className="row compare-policy-head">
        <label htmlFor={`policy-${side}`}>
          <strong>Policy {label}</strong>
        </label>
        {score && <span className="muted small">strength {score.display}</span>}
        <span className="spacer" />
        {side === 'b' && (
          <button type="button" className="small" onClick={copyAToB}>
            Copy A
          </button>
        )}
      </div>
      <textarea
        id={`policy-${side}`}
        className="mono"
        spellCheck={false}
        value={text}
        aria-invalid={!loaded.ok || undefined}
        onChange={(e) => setCompareText(side, e.target.value)}
      />
      {!loaded.ok && (
        <ul className="field-issues" aria-label={`Problems with policy ${label}`}>
          {loaded.errors.slice(0, 3).map((e, i) => (
            <li key={i}>
              {e.path && <code>{e.path}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

function PolicyChanges({ diff }: { diff: PolicyChange[] | null }) {
  if (diff === null) return <p className="muted small">Fix the policy above to see what B changes.</p>;
  return (
    <div className="policy-diff" aria-label="What B changes">
      <h3>What B changes</h3>
      {diff.length === 0 ? (
        <p className="muted small">Nothing: the two policies are the same (defaults filled in).</p>
      ) : (
        <ul>
          {diff.map((d) => (
            <li key={d.path}>
              <code>{d.path}</code>: <code className="was">{show(d.a)}</code> → <code className="now">{show(d.b)}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SideOutcome({ label, moduleName, side }: { label: string; moduleName: string; side: CompareSide }) {
  const score = playgroundScore(side.config);
  const { report } = side;
  return (
    <section className="panel compare-outcome" aria-label={`Run ${label}`}>
      <div className="panel-header">
        <h2>Run {label}</h2>
        <span className="muted small">strength {score.display}</span>
      </div>
      {!report.ok ? (
        <p className="status bad">
          {moduleName} did not run ({report.error.kind}): {report.error.message}
        </p>
      ) : (
        <>
          <p className={`status ${tone(report.result)}`}>
            {moduleName} {describeOutcome(report.result.outcome)}
          </p>
          <dl className="facts">
            <div>
              <dt>Exit code</dt>
              <dd>{report.result.exit_code}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>{formatMs(report.result.duration_ms)}</dd>
            </div>
            <div>
              <dt>Calls</dt>
              <dd>{report.result.audit.events.filter((e) => e.kind === 'call').length}</dd>
            </div>
            <div>
              <dt>Denied</dt>
              <dd>{report.result.audit.events.filter((e) => e.kind === 'call' && e.denial).length}</dd>
            </div>
            {report.result.gate && report.result.gate.verdict !== 'pass' && (
              <div>
                <dt>Output gate</dt>
                <dd>{report.result.gate.verdict}</dd>
              </div>
            )}
          </dl>
          <pre className="compare-stdout" role="group" aria-label={`Output of run ${label}`} tabIndex={0}>
            {report.result.stdout.split('\n').slice(0, 10).join('\n') || '(no stdout)'}
          </pre>
        </>
      )}
    </section>
  );
}

function resultText(e: AuditEvent | null): string {
  if (e === null) return '';
  if (e.kind === 'lifecycle') return e.detail ?? '✓';
  return e.denial ? `${e.errnoName} · ${e.denial.rule}` : e.errnoName;
}

function AlignedAudit({ a, b }: { a: CompareSide; b: CompareSide }) {
  const onlyDifferences = useCompare((s) => s.onlyDifferences);
  const rows = useMemo(() => alignAudit(a.report.ok ? a.report.result.audit.events : [], b.report.ok ? b.report.result.audit.events : []), [a, b]);
  const shown = useMemo(() => (onlyDifferences ? rows.filter((r) => r.kind !== 'same') : rows), [rows, onlyDifferences]);
  const differing = rows.length - rows.filter((r) => r.kind === 'same').length;
  return (
    <section className="panel compare-audit" aria-label="Audit logs aligned">
      <div className="audit-controls">
        <h2>Audit logs, call by call</h2>
        <span className="muted small">
          {rows.length} rows, {differing} differ
        </span>
        <span className="spacer" />
        <label className="check">
          <input type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.target.checked)} />
          Only rows that differ
        </label>
      </div>
      <VirtualTable
        label="Aligned audit entries"
        className="compare-table"
        columns={COLUMNS}
        rows={shown}
        rowHeight={ROW_HEIGHT}
        renderRow={(row, index) => <AlignedRowView key={index} row={row} index={index} />}
      />
    </section>
  );
}

const MARKS: Record<AlignedRow['kind'], { sign: string; title: string }> = {
  same: { sign: '', title: 'the same on both sides' },
  changed: { sign: '≠', title: 'called on both sides, with a different result' },
  only_a: { sign: '−', title: 'only in run A' },
  only_b: { sign: '+', title: 'only in run B' },
};

function AlignedRowView({ row, index }: { row: AlignedRow; index: number }) {
  const e = (row.a ?? row.b)!;
  const name = e.kind === 'lifecycle' ? e.event : e.fn;
  const args = e.kind === 'call' ? argsText(e) : '';
  const cell = (side: AuditEvent | null) => {
    const denied = side?.kind === 'call' && side.denial !== undefined;
    return (
      <td className={`mono${denied ? ' denied-cell' : ''}`} title={side?.kind === 'call' ? side.denial?.reason : undefined}>
        {side === null ? <span className="muted">not called</span> : resultText(side)}
      </td>
    );
  };
  return (
    <tr className={`aligned ${row.kind}${e.kind === 'lifecycle' ? ' lifecycle' : ''}`} aria-rowindex={index}>
      <td className="mark" title={MARKS[row.kind].title}>
        {MARKS[row.kind].sign}
      </td>
      <td className="mono">{name}</td>
      <td className="mono" title={args}>
        {args}
      </td>
      {cell(row.a)}
      {cell(row.b)}
    </tr>
  );
}
