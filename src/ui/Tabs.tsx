/** Accessible tabs: arrow keys move between tabs; panels once shown stay mounted (Monaco keeps its state). */
import { useRef, useState, type ReactNode } from 'react';
import { prefetchOn } from './prefetch.ts';

export interface TabSpec {
  id: string;
  label: ReactNode;
  render: () => ReactNode;
  /** Imports what the panel needs, started as the pointer or the focus comes to its tab. */
  prefetch?: () => Promise<unknown>;
}

export function Tabs({ label, tabs, active: controlled, onSelect }: { label: string; tabs: TabSpec[]; active?: string; onSelect?: (id: string) => void }) {
  const [own, setOwn] = useState(tabs[0].id);
  const active = controlled ?? own;
  const [seen, setSeen] = useState(() => new Set([active]));
  if (!seen.has(active)) setSeen(new Set(seen).add(active));
  const setActive = (id: string) => (onSelect ? onSelect(id) : setOwn(id));
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const select = (id: string, focus = false) => {
    setActive(id);
    setSeen((s) => (s.has(id) ? s : new Set(s).add(id)));
    if (focus) refs.current.get(id)?.focus();
  };
  const onKey = (e: React.KeyboardEvent, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      select(tabs[(index + step + tabs.length) % tabs.length].id, true);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      select(tabs[e.key === 'Home' ? 0 : tabs.length - 1].id, true);
    }
  };
  const base = label.toLowerCase().replace(/\W+/g, '-');
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) refs.current.set(t.id, el);
            }}
            role="tab"
            type="button"
            id={`${base}-tab-${t.id}`}
            aria-selected={active === t.id}
            aria-controls={`${base}-panel-${t.id}`}
            tabIndex={active === t.id ? 0 : -1}
            onClick={() => select(t.id)}
            onKeyDown={(e) => onKey(e, i)}
            {...(t.prefetch && prefetchOn(t.prefetch))}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) =>
        seen.has(t.id) ? (
          <div
            key={t.id}
            role="tabpanel"
            id={`${base}-panel-${t.id}`}
            aria-labelledby={`${base}-tab-${t.id}`}
            hidden={active !== t.id}
            className="tabpanel"
          >
            {t.render()}
          </div>
        ) : null,
      )}
    </div>
  );
}
