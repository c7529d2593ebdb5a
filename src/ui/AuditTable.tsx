/**
 * Every WASI call the module made, with the policy's decision. Only the rows in view are in the
 * DOM, so tens of thousands stay fast.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { AuditEvent, CallEvent } from '../core/index.ts';
import { argsText, filterAudit, functionsIn, toJsonl } from './audit-filter.ts';
import { download, runFileName } from './download.ts';
import { setAuditFilter, usePlayground } from './store.ts';
import { VirtualTable, type Column } from './VirtualTable.tsx';

const ROW_HEIGHT = 26;

const COLUMNS: Column[] = [
  { className: 'c-seq', header: '#' },
  { className: 'c-time', header: 'Time (ms)' },
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
  const sourceName = usePlayground((s) => (s.run.status === 'idle' ? 'module' : s.run.moduleName));
  const sourceAt = usePlayground((s) => (s.run.status === 'idle' ? null : s.run.startedAtWall));
  // Selected by its sequence number, so it stays the same entry as the filter changes.
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const selectedIndex = selectedSeq === null ? -1 : rows.findIndex((e) => e.seq === selectedSeq);
  const selected = selectedIndex >= 0 ? rows[selectedIndex] : null;

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
        <button
          type="button"
          className="small"
          disabled={events.length === 0}
          onClick={() => download(runFileName(sourceName, 'audit', 'jsonl', sourceAt ?? Date.now()), toJsonl(rows), 'application/jsonl')}
        >
          Export JSONL
        </button>
      </div>
      {dropped > 0 && <p className="note">{dropped} entries in the middle of the run were not kept (the log keeps the first and last of a long run; a dashed line marks the gap).</p>}
      <p id="audit-keys" className="visually-hidden">Arrow keys choose an entry; it is shown in full below the table.</p>
      <VirtualTable
        label="Audit log entries"
        describedBy="audit-keys"
        columns={COLUMNS}
        rows={rows}
        rowHeight={ROW_HEIGHT}
        selected={selectedIndex >= 0 ? selectedIndex : null}
        onSelect={(i) => setSelectedSeq(rows[i].seq)}
        renderRow={(e, index) => <AuditRow key={e.seq} event={e} index={index} selected={e.seq === selectedSeq} onSelect={() => setSelectedSeq(e.seq)} />}
      >
        {events.length === 0 && <p className="muted pad">Every WASI call of the next run is listed here, with the policy's decision.</p>}
      </VirtualTable>
      <EntryDetail event={selected} />
    </div>
  );
}

/** The selected entry in full, so long arguments and reasons can be read without a mouse. */
function EntryDetail({ event: e }: { event: AuditEvent | null }) {
  return (
    <div className="audit-detail" aria-live="polite" aria-label="Selected audit entry" hidden={e === null}>
      {e === null ? null : e.kind === 'lifecycle' ? (
        <p>
          <strong>#{e.seq}</strong> at {e.time.toFixed(3)} ms: lifecycle <em>{e.event}</em>
          {e.detail && <> ({e.detail})</>}
        </p>
      ) : (
        <>
          <p>
            <strong>#{e.seq}</strong> <code>{e.fn}</code> → <code>{e.errnoName}</code>{' '}
            <span className="muted">
              at {e.timeUntil === undefined ? `${e.time.toFixed(3)} ms` : `${e.time.toFixed(3)}-${e.timeUntil.toFixed(3)} ms (the clock is read every few calls here)`}
            </span>
          </p>
          <p className="mono audit-detail-args">{argsText(e) || 'no arguments'}</p>
          {e.denial && <p className="denied-text">Denied: {e.denial.reason}</p>}
          {e.droppedBefore ? <p className="muted small">{e.droppedBefore} calls before this one were not kept.</p> : null}
        </>
      )}
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

function AuditRow({ event: e, index, selected, onSelect }: { event: AuditEvent; index: number; selected: boolean; onSelect: () => void }) {
  if (e.kind === 'lifecycle') {
    return (
      <tr className={`lifecycle${selected ? ' selected' : ''}`} aria-rowindex={index} aria-selected={selected} onClick={onSelect}>
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
    <tr
      className={[e.denial ? 'denied' : e.errno !== 0 ? 'failed' : '', e.droppedBefore ? 'after-gap' : '', selected ? 'selected' : ''].join(' ').trim() || undefined}
      aria-rowindex={index}
      aria-selected={selected}
      onClick={onSelect}
    >
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
