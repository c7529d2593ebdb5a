import { lazy, Suspense, useEffect, useState } from 'react';
import { DropZone } from './DropZone.tsx';
import { getEngine } from './engine.ts';
import { LazyPanel } from './LazyPanel.tsx';
import { calibrateFuelRateOnce } from './fuel-rate.ts';
import { ModuleInfo } from './ModuleInfo.tsx';
import { MountFiles } from './MountFiles.tsx';
import { OutputPane } from './OutputPane.tsx';
import { PolicyPanel } from './PolicyPanel.tsx';
import { loadGalleryView, loadSourcePanel, once } from './prefetch.ts';
import { ResultPanel } from './ResultPanel.tsx';
import { RunBar } from './RunBar.tsx';
import { RunFiles, useRunFiles } from './RunFiles.tsx';
import { useRunShortcuts } from './shortcuts.ts';
import { loadExample, showDenied, showLeftTab, showTab, usePlayground, type LeftTab, type ResultTab } from './store.ts';
import { Tabs } from './Tabs.tsx';
import { Toolbar } from './Toolbar.tsx';
import { openLessonLink } from './tour.ts';
import { isEmbedAddress } from './site.ts';

const GalleryView = lazy(loadGalleryView);
const SourcePanel = lazy(loadSourcePanel);
const EmbedView = lazy(() => import('./EmbedView.tsx'));
const CompareView = lazy(() => import('./CompareView.tsx'));
// Neither shows as the page opens: the tour's bar only during the tour, the audit log after a run.
const TourBar = lazy(() => import('./TourBar.tsx').then((m) => ({ default: m.TourBar })));
const loadAuditTable = once(() => import('./AuditTable.tsx').then((m) => ({ default: m.AuditTable })));
const AuditTable = lazy(loadAuditTable);

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
          {
            id: 'audit',
            label: <>Audit log <span className="count">{auditCount}</span></>,
            prefetch: loadAuditTable,
            render: () => (
              <LazyPanel loading={<p className="muted pad">Loading the audit log…</p>}>
                <AuditTable />
              </LazyPanel>
            ),
          },
          { id: 'files', label: <>Files after run {changes > 0 && <span className="count">{changes}</span>}</>, render: () => <RunFiles /> },
        ]}
      />
    </section>
  );
}

/** The policy, or the module's source: each takes the column's height when shown. */
function PolicyAndSource() {
  const tab = usePlayground((s) => s.leftTab);
  const source = usePlayground((s) => s.source);
  const edited = usePlayground((s) => s.source !== null && s.build.status !== 'building' && s.module?.builtFrom?.text !== s.source.text && s.source.original?.text !== s.source.text);
  return (
    <section className="panel policy-and-source" aria-label="Policy and source">
      <Tabs
        label="Policy and source"
        active={tab}
        onSelect={(id) => showLeftTab(id as LeftTab)}
        tabs={[
          { id: 'policy', label: 'Policy', render: () => <PolicyPanel files={() => <MountFiles />} /> },
          {
            id: 'source',
            label: <>Source {source && <span className="count">{source.fileName}{edited ? ' *' : ''}</span>}</>,
            prefetch: loadSourcePanel,
            render: () => (
              <LazyPanel loading={<p className="muted pad">Loading the editor…</p>}>
                <SourcePanel />
              </LazyPanel>
            ),
          },
        ]}
      />
    </section>
  );
}

export function App() {
  // An embed stays one: its address is read once, as the page opens.
  const [embed] = useState(() => isEmbedAddress());
  useRunShortcuts();
  useEffect(() => {
    getEngine();
    // A course page with several embeds should not spend a core measuring in each.
    if (!embed) calibrateFuelRateOnce();
    void (async () => {
      // A lesson link opens its step of the tour, a share link restores its setup (neither runs
      // anything); otherwise start with something runnable, unless a module arrived first (a
      // quick drop).
      const fragment = window.location.hash;
      if (fragment.length > 1) {
        const lesson = await openLessonLink(fragment);
        if (lesson) return;
        if (lesson === null) {
          const { openLink } = await import('./share-session.ts');
          if (await openLink(fragment)) return;
        }
      }
      if (usePlayground.getState().module === null) void loadExample('hello');
    })();
    // A lesson link typed into the address bar of an open page.
    const onHash = () => void openLessonLink(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [embed]);
  const view = usePlayground((s) => s.view);
  const sourceShown = usePlayground((s) => s.leftTab === 'source');
  const touring = usePlayground((s) => s.tourStep !== null);
  if (embed) {
    return (
      <Suspense fallback={<p className="muted pad">Loading…</p>}>
        <EmbedView />
      </Suspense>
    );
  }
  return (
    <div className="app">
      <Toolbar />
      {view === 'playground' && touring && (
        <LazyPanel loading={null}>
          <TourBar />
        </LazyPanel>
      )}
      {/* Keyed, so a view that could not be loaded says so only while it is the one shown. */}
      <LazyPanel key={view} loading={<p className="muted pad">Loading…</p>}>
        {view === 'gallery' && <GalleryView />}
        {view === 'compare' && <CompareView />}
      </LazyPanel>
      {/* Kept mounted while another view shows, so the editor and the output keep their state. */}
      <div className="playground" hidden={view !== 'playground'}>
        <RunBar />
        <main className={sourceShown ? 'workspace source-shown' : 'workspace'}>
          <div className="column left">
            <ModuleInfo />
            <PolicyAndSource />
          </div>
          <div className="column right">
            <ResultPanel onShowDenied={showDenied} />
            <ResultTabs />
          </div>
        </main>
      </div>
      <DropZone />
    </div>
  );
}
