/** Playground keys: Ctrl/Cmd+Enter runs, Escape stops a run. */
import { useEffect } from 'react';
import { run, stop, usePlayground } from './store.ts';

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
/** The run key, as the page names it. */
export const RUN_KEYS = isMac ? '⌘ Enter' : 'Ctrl+Enter';

export function useRunShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      } else if (e.key === 'Escape' && usePlayground.getState().run.status === 'running') {
        e.preventDefault();
        stop();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
