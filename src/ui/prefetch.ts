/**
 * The views with an editor in them, imported when opened or just before: when the pointer enters,
 * or the focus reaches, the control that opens one. They bring Monaco (about 1 MB gzip), so
 * nothing imports them as the page loads or while it is idle; a hover gives the import a head
 * start, and opening the view waits for that same import.
 */

/** `load`, started at most once; after a failure (the network was down) the next call tries again. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | null = null;
  return () => {
    if (started === null) {
      started = load();
      started.catch(() => (started = null));
    }
    return started;
  };
}

/** Props for a control that opens a lazy view: pointing at it or focusing it starts the import. */
export function prefetchOn(load: () => Promise<unknown>): { onPointerEnter: () => void; onFocus: () => void } {
  // A failed head start is not an error: opening the view imports again, and says what went wrong.
  const start = () => void load().catch(() => undefined);
  return { onPointerEnter: start, onFocus: start };
}

export const loadPolicyJsonEditor = once(() => import('./PolicyJsonEditor.tsx'));
export const loadSourcePanel = once(() => import('./SourcePanel.tsx'));
export const loadGalleryView = once(() => import('./GalleryView.tsx'));
export const loadSourceViewer = once(() => import('./SourceViewer.tsx'));

/** The gallery shows the chosen example's source in an editor as soon as it opens. */
export const loadGallery = (): Promise<unknown> => Promise.all([loadGalleryView(), loadSourceViewer()]);
