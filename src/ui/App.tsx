import { useEffect } from 'react';
import { DropZone } from './DropZone.tsx';
import { OutputPane } from './OutputPane.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ModuleInfo } from './ModuleInfo.tsx';
import { PolicyPanel } from './PolicyPanel.tsx';
import { useRunShortcuts } from './shortcuts.ts';
import { getEngine } from './engine.ts';
import { loadExample, usePlayground } from './store.ts';

export function App() {
  useRunShortcuts();
  useEffect(() => {
    getEngine();
    // Start with something runnable, unless a module arrived first (a quick drop).
    if (usePlayground.getState().module === null) void loadExample('hello');
  }, []);
  return (
    <div className="app">
      <Toolbar />
      <main className="workspace">
        <div className="column left">
          <ModuleInfo />
          <PolicyPanel files={() => <p className="muted">Mount files come next.</p>} />
        </div>
        <div className="column right">
          <ResultPanel />
          <OutputPane />
        </div>
      </main>
      <DropZone />
    </div>
  );
}
