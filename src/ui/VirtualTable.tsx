/**
 * A long table of fixed-height rows in a scroll box: only the rows in view (and a few either
 * side) are in the DOM, so tens of thousands stay fast.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface Column {
  /** Sets the column's width in the stylesheet. */
  className: string;
  header: ReactNode;
}

interface Props<T> {
  /** The scroll box's accessible name. */
  label: string;
  /** The id of a text describing how to use the table, if any. */
  describedBy?: string;
  className?: string;
  columns: Column[];
  rows: readonly T[];
  rowHeight: number;
  /** One <tr>; `ariaIndex` is its aria-rowindex (the header is 1). */
  renderRow: (row: T, ariaIndex: number) => ReactNode;
  /** Shown below the table, e.g. when there are no rows yet. */
  children?: ReactNode;
  /**
   * With these, one row can be selected: by a click (the caller's row calls onSelect) or, with
   * the table focused, the arrow keys, Page Up/Down, Home and End; the selection stays in view.
   */
  selected?: number | null;
  onSelect?: (index: number) => void;
}

const OVERSCAN = 20;

const KEY_STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };

export function VirtualTable<T>({ label, describedBy, className, columns, rows, rowHeight, renderRow, children, selected = null, onSelect }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const step = KEY_STEPS[e.key];
    if (!onSelect || step === undefined || rows.length === 0) return;
    e.preventDefault();
    const index = Math.max(0, Math.min(rows.length - 1, selected === null ? (step > 0 ? 0 : rows.length - 1) : selected + step));
    onSelect(index);
    // Keep it in view, below the sticky header (one row high).
    const el = scroller.current!;
    const top = index * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + 2 * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * rowHeight - el.clientHeight;
  };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  return (
    <div className="audit-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKeyDown} tabIndex={0} aria-label={label} aria-describedby={describedBy}>
      <table className={`audit-table${className ? ` ${className}` : ''}`} aria-rowcount={rows.length + 1}>
        <colgroup>
          {columns.map((c, i) => (
            <col key={i} className={c.className} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr aria-hidden="true" style={{ height: first * rowHeight }} />}
          {rows.slice(first, last).map((row, i) => renderRow(row, first + i + 2))}
          {last < rows.length && <tr aria-hidden="true" style={{ height: (rows.length - last) * rowHeight }} />}
        </tbody>
      </table>
      {children}
    </div>
  );
}
