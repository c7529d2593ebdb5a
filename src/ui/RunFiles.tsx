/** After a run: the read-write mounts as the module left them, what changed, and downloads. */
import { useMemo } from 'react';
import { mountsOf } from '../core/index.ts';
import { baseName, download } from './download.ts';
import { formatBytes } from './format.ts';
import { joinPath, mountChanges, type FileChange } from './mount-files.ts';
import { usePlayground } from './store.ts';

export function useRunFiles(): { changes: FileChange[]; after: { path: string; data: Uint8Array | null; symlink?: string }[] } | null {
  const run = usePlayground((s) => s.run);
  return useMemo(() => {
    if (run.status !== 'done' || !run.report.ok || run.report.result.mounts === null) return null;
    const mounts = run.report.result.mounts;
    return {
      changes: mountChanges(run.config, mountsOf(run.config), mounts),
      after: mounts
        .flatMap((m) => m.entries.map((e) => ({ path: joinPath(m.path, e.path), data: e.data, symlink: e.symlink })))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    };
  }, [run]);
}

export function RunFiles() {
  const run = usePlayground((s) => s.run);
  const files = useRunFiles();
  if (run.status !== 'done') return <p className="muted pad">After a run, the files in read-write mounts show here, with what the module changed.</p>;
  const rw = mountsOf(run.config).filter((m) => !m.readOnly);
  if (rw.length === 0) return <p className="muted pad">This policy has no read-write mount, so the module could not change any file.</p>;
  if (!files) return <p className="muted pad">The run was killed before it could report its files.</p>;
  const changeOf = new Map(files.changes.map((c) => [c.path, c]));
  const deleted = files.changes.filter((c) => c.kind === 'deleted');
  if (files.after.length === 0 && deleted.length === 0) {
    return <p className="muted pad">The read-write mounts ({rw.map((m) => m.path).join(', ')}) are empty after the run: the module left no file there.</p>;
  }
  return (
    <div className="run-files pad">
      <p className="summary">
        {files.changes.length === 0
          ? 'The module changed nothing in its read-write mounts.'
          : `${count(files.changes, 'added')} added, ${count(files.changes, 'modified')} modified, ${deleted.length} deleted.`}
      </p>
      <table className="files-table">
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Change</th>
            <th scope="col">Size</th>
            <th scope="col"><span className="visually-hidden">Download</span></th>
          </tr>
        </thead>
        <tbody>
          {files.after.map((f) => {
            const change = changeOf.get(f.path);
            return (
              <tr key={f.path} className={change ? `change-${change.kind}` : undefined}>
                <td className="mono">{f.path}{f.symlink !== undefined && <span className="muted"> → {f.symlink}</span>}</td>
                <td>{change ? <span className={`badge ${change.kind}`}>{change.kind}</span> : <span className="muted">unchanged</span>}</td>
                <td className="num">{f.data ? formatBytes(f.data.length) : ''}</td>
                <td>
                  {f.data && (
                    <button type="button" className="small" aria-label={`Download ${f.path}`} onClick={() => download(baseName(f.path), f.data!)}>
                      Download
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
          {deleted.map((c) => (
            <tr key={c.path} className="change-deleted">
              <td className="mono">{c.path}</td>
              <td><span className="badge deleted">deleted</span></td>
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function count(changes: FileChange[], kind: FileChange['kind']): number {
  return changes.filter((c) => c.kind === kind).length;
}
