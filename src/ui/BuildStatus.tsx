/** A build as the page says it: the compiler's download, compiling, the module it made, or why not. */
import { countDiagnostics, type ToolchainProgress } from '../core/index.ts';
import { formatBytes, formatMs } from './format.ts';
import { loadSourcePanel, prefetchOn } from './prefetch.ts';
import { showLeftTab, type BuildState } from './store.ts';

function progressWords(fileName: string, progress: ToolchainProgress | null): string {
  if (progress?.stage === 'download') {
    return `Downloading the compiler (first build only; then kept for offline use): ${formatBytes(progress.done)} of ${formatBytes(progress.total)}`;
  }
  if (progress?.stage === 'prepare') return 'Preparing the compiler…';
  if (progress?.stage === 'compile') return `Compiling ${fileName}…`;
  return 'Starting the compiler…';
}

export function BuildProgress({ state }: { state: Extract<BuildState, { status: 'building' }> }) {
  const p = state.progress;
  return (
    <div className="build-progress" role="status" aria-label="Build">
      <span>{progressWords(state.fileName, p)}</span>
      {p?.stage === 'download' ? (
        <progress aria-label="Compiler download" max={p.total} value={p.done} />
      ) : (
        <progress aria-label="Build in progress" />
      )}
    </div>
  );
}

export function shortHash(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

/** One line: what the last build made, or why it made nothing. */
export function BuildLine({ state }: { state: Exclude<BuildState, { status: 'idle' | 'building' }> }) {
  if (state.status === 'failed') {
    return (
      <p className="status bad" role="status" aria-label="Build">
        {state.message}
      </p>
    );
  }
  const warnings = state.diagnostics.filter((d) => d.severity === 'warning').length;
  return (
    <p className="build-done small" role="status" aria-label="Build">
      <span className="ok-text">✓ Built {state.name}</span> · {formatBytes(state.size)} · {formatMs(state.durationMs)}
      {warnings > 0 && <span className="warn-text"> · {countDiagnostics(state.diagnostics)}</span>}
      {' · '}sha256 <code title={state.sha256} data-testid="module-hash">{shortHash(state.sha256)}</code>
    </p>
  );
}

/** In the result area: the build Run is waiting for, or the build that failed (so nothing ran). */
export function BuildResult({ state }: { state: Extract<BuildState, { status: 'building' | 'failed' }> }) {
  if (state.status === 'building') return <BuildProgress state={state} />;
  return (
    <div className="result-body">
      <BuildLine state={state} />
      <p className="small">
        Nothing ran: the source must build first.{' '}
        <button type="button" className="link" onClick={() => showLeftTab('source')} {...prefetchOn(loadSourcePanel)}>
          Show the source and its messages
        </button>
      </p>
    </div>
  );
}
