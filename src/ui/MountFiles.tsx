/** The files each mount starts with: add, upload, edit, rename and delete them before a run. */
import { useState } from 'react';
import { mountsOf, type FileContents, type Mount } from '../core/index.ts';
import { Issues, useIssues } from './fields.tsx';
import { formatBytes } from './format.ts';
import { bytesOf, contentsOf, filesIn, joinPath, type MountFile } from './mount-files.ts';
import { withField } from './policy-doc.ts';
import { editPolicy, usePlayground } from './store.ts';

function setFiles(change: (files: Record<string, FileContents>) => Record<string, FileContents>): void {
  editPolicy((doc) => withField(doc, 'files', change({ ...usePlayground.getState().policy.config.files })));
}

function renameKey(files: Record<string, FileContents>, from: string, to: string): Record<string, FileContents> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k === from ? to : k, v]));
}

function uniquePath(files: Record<string, FileContents>, mount: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  let path = joinPath(mount, name);
  for (let n = 2; path in files; n++) path = joinPath(mount, `${stem}-${n}${ext}`);
  return path;
}

export function MountFiles() {
  const config = usePlayground((s) => s.policy.config);
  const [selected, setSelected] = useState<string | null>(null);
  const mounts = mountsOf(config);
  const fileIssues = useIssues('files');
  if (mounts.length === 0) {
    return <p className="muted">No mounts: add one in the Form tab (Mounts) to give the module files.</p>;
  }
  return (
    <div className="mount-files">
      <Issues issues={fileIssues} />
      {mounts.map((mount) => (
        <MountSection
          key={mount.path}
          mount={mount}
          files={filesIn(config.files, mount, mounts)}
          selected={selected}
          onSelect={setSelected}
        />
      ))}
    </div>
  );
}

function MountSection({ mount, files, selected, onSelect }: { mount: Mount; files: MountFile[]; selected: string | null; onSelect: (path: string | null) => void }) {
  const [dragging, setDragging] = useState(false);
  const upload = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const added: [string, FileContents][] = [];
    for (const file of Array.from(list)) added.push([file.name, contentsOf(new Uint8Array(await file.arrayBuffer()))]);
    let last = '';
    setFiles((all) => {
      for (const [name, contents] of added) {
        last = joinPath(mount.path, name);
        all[last] = contents;
      }
      return all;
    });
    onSelect(last);
  };
  const current = files.find((f) => f.path === selected);
  return (
    <section
      className={`mount${dragging ? ' dragging' : ''}`}
      aria-label={`Files in ${mount.path}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          e.stopPropagation();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        // A file dropped on a mount goes into it, instead of replacing the module.
        if (e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        e.stopPropagation();
        setDragging(false);
        void upload(e.dataTransfer.files);
      }}
    >
      <div className="mount-header">
        <h3 className="mono">{mount.path}</h3>
        <span className={`badge ${mount.readOnly ? 'ro' : 'rw'}`} title={mount.readOnlyReason ? `read-only: ${mount.readOnlyReason}` : 'the module may change these files'}>
          {mount.readOnly ? 'read-only' : 'read-write'}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="small"
          aria-label={`New file in ${mount.path}`}
          onClick={() => {
            let path = '';
            setFiles((all) => {
              path = uniquePath(all, mount.path, 'new-file.txt');
              return { ...all, [path]: '' };
            });
            onSelect(path);
          }}
        >
          New file
        </button>
        <label className="button small file-button">
          Upload
          <input
            type="file"
            multiple
            className="visually-hidden"
            aria-label={`Upload to ${mount.path}`}
            onChange={(e) => {
              void upload(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {files.length === 0 ? (
        <p className="muted small">Empty. Add a file, upload one, or drop files here.</p>
      ) : (
        <ul className="file-list">
          {files.map((f) => (
            <li key={f.path} style={{ paddingLeft: `${(f.name.split('/').length - 1 - (f.isDir ? 1 : 0)) * 14}px` }}>
              {f.isDir ? (
                <span className="file-entry dir mono">{f.name}</span>
              ) : (
                <button type="button" className={`file-entry mono${f.path === selected ? ' selected' : ''}`} aria-pressed={f.path === selected} onClick={() => onSelect(f.path === selected ? null : f.path)}>
                  {f.name}
                  <span className="muted"> {formatBytes(bytesOf(f.contents).length)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {current && <FileEditor key={current.path} file={current} mount={mount} onSelect={onSelect} />}
    </section>
  );
}

function FileEditor({ file, mount, onSelect }: { file: MountFile; mount: Mount; onSelect: (path: string | null) => void }) {
  const [name, setName] = useState(file.name);
  const [renameError, setRenameError] = useState<string | null>(null);
  const rename = () => {
    const to = joinPath(mount.path, name.trim());
    if (to === file.path) return;
    if (name.trim() === '' || name.trim().endsWith('/')) {
      setRenameError('a file name cannot be empty or end with "/"');
      return;
    }
    if (to in usePlayground.getState().policy.config.files) {
      setRenameError(`${to} already exists`);
      return;
    }
    setRenameError(null);
    setFiles((all) => renameKey(all, file.path, to));
    onSelect(to);
  };
  return (
    <div className="file-editor">
      <div className="row">
        <div className="field">
          <label htmlFor="file-name">Name in {mount.path}</label>
          <input
            id="file-name"
            className="mono"
            value={name}
            spellCheck={false}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                rename();
              }
            }}
          />
        </div>
        <button type="button" className="small" onClick={rename} disabled={name.trim() === file.name}>
          Rename
        </button>
        <button
          type="button"
          className="small danger"
          onClick={() => {
            setFiles((all) => {
              delete all[file.path];
              return all;
            });
            onSelect(null);
          }}
        >
          Delete
        </button>
      </div>
      {renameError && <p className="error small">{renameError}</p>}
      {typeof file.contents === 'string' ? (
        <div className="field">
          <label htmlFor="file-contents">Contents of {file.path}</label>
          <textarea
            id="file-contents"
            className="mono"
            rows={6}
            spellCheck={false}
            value={file.contents}
            onChange={(e) => {
              const text = e.target.value;
              setFiles((all) => ({ ...all, [file.path]: text }));
            }}
          />
        </div>
      ) : (
        <p className="muted small">Binary file ({formatBytes(bytesOf(file.contents).length)}), kept as base64; replace it by uploading.</p>
      )}
    </div>
  );
}
