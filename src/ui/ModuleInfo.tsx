/** Which module is loaded, and why the last one could not be. */
import { exampleById } from '../core/index.ts';
import { formatBytes } from './format.ts';
import { setLinkNotice, showLesson, usePlayground } from './store.ts';

export function ModuleInfo() {
  const module = usePlayground((s) => s.module);
  const error = usePlayground((s) => s.moduleError);
  const notice = usePlayground((s) => s.linkNotice);
  const pending = usePlayground((s) => s.pendingModule);
  const example = module?.exampleId ? exampleById(module.exampleId) : undefined;
  return (
    <section className="module panel" aria-label="Module">
      {module ? (
        <p className="module-line">
          <strong className="module-name">{module.name}</strong> <span className="muted">{formatBytes(module.bytes.length)}</span>
          {example && <span className="module-summary"> — {example.summary}</span>}
          {example && (
            <button type="button" className="link" onClick={() => showLesson(example.id)}>
              Lesson and source
            </button>
          )}
        </p>
      ) : pending ? (
        <p>
          Waiting for <strong className="module-name">{pending.name}</strong>
        </p>
      ) : (
        <p className="muted">No module yet: choose an example, pick a .wasm file, or drop one anywhere on the page.</p>
      )}
      {notice && (
        <p className={notice.kind === 'error' ? 'error' : 'notice'} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}{' '}
          <button type="button" className="link" onClick={() => setLinkNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
