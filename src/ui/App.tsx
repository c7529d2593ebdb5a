import { useEffect } from 'react';
import { AuditTable } from './AuditTable.tsx';
import { DropZone } from './DropZone.tsx';
import { getEngine } from './engine.ts';
import { ModuleInfo } from './ModuleInfo.tsx';
import { MountFiles } from './MountFiles.tsx';
import { OutputPane } from './OutputPane.tsx';
import { PolicyPanel } from './PolicyPanel.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { RunFiles, useRunFiles } from './RunFiles.tsx';
import { useRunShortcuts } from './shortcuts.ts';
import { loadExample, showDenied, showTab, usePlayground, type ResultTab } from './store.ts';
import { Tabs } from './Tabs.tsx';
import { Toolbar } from './Toolbar.tsx';

function ResultTabs() {
  const tab = usePlayground((s) => s.resultTab);
  const auditCount = usePlayground((s) => s.audit.length);
  const changes = useRunFiles()?.changes.length ?? 0;
  return (
    <section className="panel results-tabs" aria-label="Run details">
      <Tabs
        label="Run details"
        active={tab}
        onSelect={(id) => showTab(id as ResultTab)}
        tabs={[
          { id: 'output', label: 'Output', render: () => <OutputPane /> },
          { id: 'audit', label: <>Audit log <span className="count">{auditCount}</span></>, render: () => <AuditTable /> },
          { id: 'files', label: <>Files after run {changes > 0 && <span className="count">{changes}</span>}</>, render: () => <RunFiles /> },
        ]}
      />
    </section>
  );
}

export function App() {
  useRunShortcuts();
  useEffect(() => {
    getEngine();
    void (async () => {
      // A share link in the address restores its setup (never runs it); otherwise start with
      // something runnable, unless a module arrived first (a quick drop).
      if (window.location.hash.length > 1) {
        const { openLink } = await import('./share-session.ts');
        if (await openLink(window.location.hash)) return;
      }
      if (usePlayground.getState().module === null) void loadExample('hello');
    })();
  }, []);
  return (
    <div className="app">
      <Toolbar />
      <main className="workspace">
        <div className="column left">
          <ModuleInfo />
          <PolicyPanel files={() => <MountFiles />} />
        </div>
        <div className="column right">
          <ResultPanel onShowDenied={showDenied} />
          <ResultTabs />
        </div>
      </main>
      <DropZone />
    </div>
  );
}
