/** Windowing for long tables: only the rows in view (and a few either side) are rendered. */
import { useEffect, useRef, useState } from 'react';

export function useVirtualRows(count: number, rowHeight: number, overscan = 10) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return {
    scroller,
    onScroll: (e: React.UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop),
    first,
    last,
    /** Heights of the spacer rows above and below the rendered ones. */
    above: first * rowHeight,
    below: (count - last) * rowHeight,
  };
}
