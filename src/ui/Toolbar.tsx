/** The header: the views, what to run (examples, a file), the tour, sharing, and the theme. Run sits beside the limits (RunBar.tsx). */
import { lazy, Suspense, useState } from 'react';
import { EXAMPLES } from '../core/index.ts';
import { TOUR } from '../lessons/index.ts';
import { openCompare } from './compare-store.ts';
import { loadGallery, prefetchOn } from './prefetch.ts';
import { siteFile } from './site.ts';
import { ThemeToggle } from './ThemeToggle.tsx';
import { loadExample, loadFile, showLesson, showView, usePlayground, type View } from './store.ts';
import { savedTourStep, startTour } from './tour.ts';

const ShareDialog = lazy(() => import('./ShareDialog.tsx'));

export function Toolbar() {
  const [sharing, setSharing] = useState(false);
  const module = usePlayground((s) => s.module);
  const view = usePlayground((s) => s.view);
  const touring = usePlayground((s) => s.tourStep !== null);
  const saved = touring ? null : savedTourStep();
  const go = (target: View) => {
    if (target === 'compare') openCompare();
    else if (target === 'gallery' && module?.exampleId) showLesson(module.exampleId);
    else showView(target);
  };
  return (
    <header className="toolbar">
      <h1 className="brand">
        <img src={siteFile('favicon.svg')} alt="" width={22} height={22} />
        Kavach Playground
      </h1>
      <nav className="views" aria-label="Views">
        {(['playground', 'gallery', 'compare'] as const).map((v) => (
          <button key={v} type="button" aria-current={view === v ? 'page' : undefined} onClick={() => go(v)} {...(v === 'gallery' && prefetchOn(loadGallery))}>
            {{ playground: 'Playground', gallery: 'Gallery', compare: 'Compare' }[v]}
          </button>
        ))}
      </nav>
      {/* Not a view: the tour runs in the playground, so it is a switch beside the views. */}
      <button
        type="button"
        className="tour-toggle"
        aria-pressed={touring}
        onClick={() => (touring ? showView('playground') : void startTour())}
        title={touring ? 'The tour is on: its bar is above the playground' : 'A guided tour through the gallery'}
      >
        {saved !== null && saved > 0 ? `Resume tour (${saved + 1}/${TOUR.length})` : 'Tour'}
      </button>
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
            <option key={ex.id} value={ex.id} title={ex.summary}>
              {ex.title}
            </option>
          ))}
        </select>
        <label className="button file-button" title="Choose a .wasm file, or a C, C++ or WebAssembly text source to build">
          Open .wasm…
          <input
            aria-label="Choose a .wasm file"
            type="file"
            accept=".wasm,application/wasm,.c,.cc,.cpp,.cxx,.wat"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void loadFile(file);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <button type="button" className="share-button" onClick={() => setSharing(true)} aria-haspopup="dialog">
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
