/**
 * Every WASI call the module made, with the policy's decision. Only the rows in view are in the
 * DOM, so tens of thousands stay fast.
 */
import { useDeferredValue, useMemo } from 'react';
import type { AuditEvent, CallEvent } from '../core/index.ts';
import { argsText, filterAudit, functionsIn, toJsonl } from './audit-filter.ts';
import { download } from './download.ts';
import { setAuditFilter, usePlayground } from './store.ts';
import { VirtualTable, type Column } from './VirtualTable.tsx';

const ROW_HEIGHT = 26;

const COLUMNS: Column[] = [
  { className: 'c-seq', header: '#' },
  { className: 'c-time', header: 'Time' },
  { className: 'c-fn', header: 'Function' },
  { className: 'c-args', header: 'Arguments' },
  { className: 'c-errno', header: 'Result' },
  { className: 'c-denial', header: 'Denied because' },
];

export function AuditTable() {
  const events = usePlayground((s) => s.audit);
  const filter = usePlayground((s) => s.auditFilter);
  const dropped = usePlayground((s) => (s.run.status === 'done' && s.run.report.ok ? s.run.report.result.audit.dropped : 0));
  const deferred = useDeferredValue(filter);
  const rows = useMemo(() => filterAudit(events, deferred), [events, deferred]);
  const functions = useMemo(() => functionsIn(events), [events]);
  const deniedCount = useMemo(() => events.filter((e) => e.kind === 'call' && e.denial).length, [events]);

  return (
    <div className="audit">
      <div className="audit-controls" role="group" aria-label="Audit log filters">
        <select aria-label="Function" value={filter.fn} onChange={(e) => setAuditFilter({ fn: e.target.value })}>
          <option value="">All functions</option>
          <option value="lifecycle">lifecycle events</option>
          {functions.map((fn) => (
            <option key={fn} value={fn}>
              {fn}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={filter.deniedOnly} onChange={(e) => setAuditFilter({ deniedOnly: e.target.checked })} />
          Denied only ({deniedCount})
        </label>
        <input type="search" aria-label="Filter by path or argument" placeholder="path or argument…" value={filter.text} onChange={(e) => setAuditFilter({ text: e.target.value })} />
        <span className="spacer" />
        <span className="muted small" aria-live="polite">
          {rows.length === events.length ? `${events.length} entries` : `${rows.length} of ${events.length}`}
        </span>
        <button type="button" className="small" disabled={events.length === 0} onClick={() => download('audit.jsonl', toJsonl(rows), 'application/jsonl')}>
          Export JSONL
        </button>
      </div>
      {dropped > 0 && <p className="note">{dropped} entries in the middle of the run were not kept (the log keeps the first and last of a long run; a dashed line marks the gap).</p>}
      <VirtualTable label="Audit log entries" columns={COLUMNS} rows={rows} rowHeight={ROW_HEIGHT} renderRow={(e, index) => <AuditRow key={e.seq} event={e} index={index} />}>
        {events.length === 0 && <p className="muted pad">Every WASI call of the next run is listed here, with the policy's decision.</p>}
      </VirtualTable>
    </div>
  );
}

/**
 * A call's time in ms. Past the first entries the clock is read every few calls, and an entry
 * without its own reading was made between two readings: when they are a display step (0.1 ms) or
 * more apart it shows "≥" the first; the tooltip gives both.
 */
function CallTime({ event: e }: { event: CallEvent }) {
  if (e.timeUntil === undefined) return <td className="num">{e.time.toFixed(1)}</td>;
  const wide = e.timeUntil - e.time >= 0.1;
  return (
    <td className="num" title={`made between ${e.time.toFixed(3)} and ${e.timeUntil.toFixed(3)} ms (the clock is read every few calls here)`}>
      {wide ? `≥${e.time.toFixed(1)}` : e.time.toFixed(1)}
    </td>
  );
}

function AuditRow({ event: e, index }: { event: AuditEvent; index: number }) {
  if (e.kind === 'lifecycle') {
    return (
      <tr className="lifecycle" aria-rowindex={index}>
        <td className="num">{e.seq}</td>
        <td className="num">{e.time.toFixed(1)}</td>
        <td colSpan={4}>
          <em>{e.event}</em>
          {e.detail && <span className="muted"> {e.detail}</span>}
        </td>
      </tr>
    );
  }
  const args = argsText(e);
  return (
    <tr className={[e.denial ? 'denied' : e.errno !== 0 ? 'failed' : '', e.droppedBefore ? 'after-gap' : ''].join(' ').trim() || undefined} aria-rowindex={index}>
      <td className="num" title={e.droppedBefore ? `${e.droppedBefore} calls before this one were not kept` : undefined}>
        {e.seq}
      </td>
      <CallTime event={e} />
      <td className="mono">{e.fn}</td>
      <td className="mono" title={args}>
        {args}
      </td>
      <td className="mono">{e.errnoName}</td>
      <td title={e.denial?.reason}>{e.denial?.reason ?? ''}</td>
    </tr>
  );
}
