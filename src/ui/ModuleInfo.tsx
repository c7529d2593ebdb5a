/** Which module is loaded, and why the last one could not be. */
import { exampleById } from '../core/index.ts';
import { formatBytes } from './format.ts';
import { loadGallery, prefetchOn } from './prefetch.ts';
import { setLinkNotice, showLesson, usePlayground } from './store.ts';

export function ModuleInfo() {
  const module = usePlayground((s) => s.module);
  const error = usePlayground((s) => s.moduleError);
  const notice = usePlayground((s) => s.linkNotice);
  const pending = usePlayground((s) => s.pendingModule);
  const source = usePlayground((s) => s.source);
  const example = module?.exampleId ? exampleById(module.exampleId) : undefined;
  return (
    <section className="module panel" aria-label="Module">
      {module ? (
        <p className="module-line">
          <strong className="module-name">{module.name}</strong> <span className="muted">{formatBytes(module.bytes.length)}</span>
          {example && <span className="module-summary"> — {example.summary}</span>}
          {example && (
            <button type="button" className="link" onClick={() => showLesson(example.id)} {...prefetchOn(loadGallery)}>
              Lesson and source
            </button>
          )}
        </p>
      ) : null}
      <ModuleFacts />
      {module ? null : pending ? (
        <p>
          Waiting for <strong className="module-name">{pending.name}</strong>
        </p>
      ) : source ? (
        <p>
          <strong className="module-name">{source.fileName}</strong> <span className="muted">is not built yet: Run builds it first (see the Source tab).</span>
        </p>
      ) : (
        <p className="muted">No module yet: choose an example, pick a .wasm file, or drop one anywhere on the page.</p>
      )}
      {notice && (
        <div className={notice.kind === 'error' ? 'error' : 'notice'} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}{' '}
          <button type="button" className="link" onClick={() => setLinkNotice(null)} aria-label="Dismiss">
            ✕
          </button>
          {notice.items && notice.items.length > 0 && (
            <ul className="notice-items">
              {notice.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

const STAGES = { reading: 'Reading the file…', hashing: 'Hashing…', compiling: 'Checking imports and exports…' } as const;

/** Hash, imports and exports of the loaded module: is it a WASI command, what does it need? */
function ModuleFacts() {
  const info = usePlayground((s) => s.inspection);
  const stage = usePlayground((s) => s.inspecting);
  if (stage !== null) return <p className="muted" role="status">{STAGES[stage]}</p>;
  if (info === null) return null;
  return (
    <details className="module-facts">
      <summary>
        {info.isCommand ? 'WASI command' : 'not a WASI command (no _start, or no memory)'} · {info.wasiCalls.length} WASI calls
        {info.unsupported.length > 0 && <span className="error"> · needs what the sandbox lacks: {info.unsupported.join(', ')}</span>}
      </summary>
      <dl>
        <dt>SHA-256</dt>
        <dd className="mono">{info.sha256}</dd>
        <dt>Imports</dt>
        <dd>{info.imports.map((i) => `${i.module}.${i.name}`).join(', ') || 'none'}</dd>
        <dt>Exports</dt>
        <dd>{info.exports.map((e) => `${e.name} (${e.kind})`).join(', ') || 'none'}</dd>
      </dl>
    </details>
  );
}
