/**
 * Mount files as the page shows them: the policy's `files` grouped by mount, and what a run
 * changed in its read-write mounts.
 */
import { isInside, type FileContents, type Mount, type RunResult, type SandboxConfig } from '../core/index.ts';

export interface MountFile {
  /** Absolute guest path; directories end with "/". */
  path: string;
  /** Path inside the mount, for display. */
  name: string;
  isDir: boolean;
  contents: FileContents;
}

/** The policy's files inside `mount` (deepest mount wins), sorted by path. */
export function filesIn(files: Record<string, FileContents>, mount: Mount, mounts: readonly Mount[]): MountFile[] {
  return Object.entries(files)
    .filter(([path]) => owningMount(path, mounts)?.path === mount.path)
    .map(([path, contents]) => ({ path, name: relative(mount.path, path), isDir: path.endsWith('/'), contents }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function owningMount(path: string, mounts: readonly Mount[]): Mount | null {
  let best: Mount | null = null;
  for (const m of mounts) if (isInside(path, m.path) && (best === null || m.path.length > best.path.length)) best = m;
  return best;
}

function relative(mountPath: string, path: string): string {
  return mountPath === '/' ? path.slice(1) : path.slice(mountPath.length + 1);
}

export function joinPath(mountPath: string, name: string): string {
  return (mountPath === '/' ? '' : mountPath) + '/' + name.replace(/^\/+/, '');
}

export function bytesOf(contents: FileContents): Uint8Array {
  if (typeof contents === 'string') return new TextEncoder().encode(contents);
  const binary = atob(contents.base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Text when the bytes are UTF-8 without control characters other than tab and newlines, else base64. */
export function contentsOf(bytes: Uint8Array): FileContents {
  const text = asText(bytes);
  if (text !== null) return text;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { base64: btoa(binary) };
}

export function asText(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

export interface FileChange {
  /** Absolute guest path; directories end with "/". */
  path: string;
  kind: 'added' | 'modified' | 'deleted';
  isDir: boolean;
  /** Contents after the run (null for directories, symlinks and deleted files). */
  after: Uint8Array | null;
  before: Uint8Array | null;
  symlink?: string;
}

/** What a run changed in each read-write mount, compared with the files the policy put there. */
export function mountChanges(config: SandboxConfig, mounts: readonly Mount[], after: NonNullable<RunResult['mounts']>): FileChange[] {
  const changes: FileChange[] = [];
  for (const m of after) {
    const mount = mounts.find((x) => x.path === m.path);
    if (!mount) continue;
    const before = new Map<string, Uint8Array | null>();
    for (const f of filesIn(config.files, mount, mounts)) {
      before.set(f.path, f.isDir ? null : bytesOf(f.contents));
      // Parent directories exist whether or not the policy names them.
      const parts = f.name.split('/').filter(Boolean);
      for (let i = 1; i < parts.length; i++) before.set(joinPath(mount.path, parts.slice(0, i).join('/')) + '/', null);
    }
    const seen = new Set<string>();
    for (const entry of m.entries) {
      const path = joinPath(m.path, entry.path);
      const isDir = entry.path.endsWith('/');
      seen.add(path);
      if (!before.has(path)) changes.push({ path, kind: 'added', isDir, after: entry.data, before: null, symlink: entry.symlink });
      else {
        const old = before.get(path) ?? null;
        if (!isDir && (old === null || entry.data === null || !sameBytes(old, entry.data))) {
          changes.push({ path, kind: 'modified', isDir, after: entry.data, before: old, symlink: entry.symlink });
        }
      }
    }
    for (const [path, old] of before) {
      if (!seen.has(path)) changes.push({ path, kind: 'deleted', isDir: path.endsWith('/'), after: null, before: old });
    }
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
