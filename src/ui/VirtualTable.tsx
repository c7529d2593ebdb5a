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
  className?: string;
  columns: Column[];
  rows: readonly T[];
  rowHeight: number;
  /** One <tr>; `ariaIndex` is its aria-rowindex (the header is 1). */
  renderRow: (row: T, ariaIndex: number) => ReactNode;
  /** Shown below the table, e.g. when there are no rows yet. */
  children?: ReactNode;
}

const OVERSCAN = 10;

export function VirtualTable<T>({ label, className, columns, rows, rowHeight, renderRow, children }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  return (
    <div className="audit-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={0} aria-label={label}>
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
