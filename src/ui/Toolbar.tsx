/** The header: what to run (examples, a file), Run and Stop, and the theme. */
import { lazy, Suspense, useState } from 'react';
import { EXAMPLES } from '../core/index.ts';
import { ThemeToggle } from './ThemeToggle.tsx';
import { loadExample, loadFile, run, stop, usePlayground } from './store.ts';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const RUN_KEYS = isMac ? '⌘ Enter' : 'Ctrl+Enter';

const ShareDialog = lazy(() => import('./ShareDialog.tsx'));

export function Toolbar() {
  const [sharing, setSharing] = useState(false);
  const module = usePlayground((s) => s.module);
  const running = usePlayground((s) => s.run.status === 'running');
  const loading = usePlayground((s) => s.loadingModule);
  return (
    <header className="toolbar">
      <h1 className="brand">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        Kavach Playground
      </h1>
      <div className="toolbar-group">
        <select
          aria-label="Examples"
          value={module?.exampleId ?? ''}
          onChange={(e) => e.target.value && void loadExample(e.target.value)}
        >
          <option value="" disabled>
            Examples…
          </option>
          {EXAMPLES.map((ex) => (
            <option key={ex.id} value={ex.id}>
              {ex.title}
            </option>
          ))}
        </select>
        <label className="button file-button">
          Choose a .wasm file
          <input
            type="file"
            accept=".wasm,application/wasm"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void loadFile(file);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <div className="toolbar-group run-controls">
        <button type="button" className="primary" onClick={run} disabled={!module || running || loading} title={`Run (${RUN_KEYS})`} aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}>
          Run
        </button>
        <button type="button" onClick={stop} disabled={!running} title="Stop (Escape)" aria-keyshortcuts="Escape">
          Stop
        </button>
        <span className="hint">{RUN_KEYS} runs · Esc stops</span>
      </div>
      <button type="button" onClick={() => setSharing(true)} aria-haspopup="dialog">
        Share / export
      </button>
      <ThemeToggle />
      {sharing && (
        <Suspense fallback={null}>
          <ShareDialog onClose={() => setSharing(false)} />
        </Suspense>
      )}
    </header>
  );
}
