/** Building mount trees from plain data, and reading them back after a run. */
import type { FsBudget } from './budget.ts';
import { DirNode, FileNode, SymlinkNode, type MountInfo, type Node } from './fs.ts';

/** A file or directory as plain, cloneable data. Directory paths end with "/". */
export interface MountEntry {
  /** Path relative to the mount root, "/"-separated, no leading slash. */
  path: string;
  data: Uint8Array | null;
  /** Set for symlinks. */
  symlink?: string;
  /**
   * Going in: the host path a file was copied from. Coming out (changes-only reports): set, with
   * data null, on a file whose bytes are still the ones copied in from that path.
   */
  origin?: string;
}

/** What readTree reports of files: every file's bytes, or only those of files the run changed. */
export type MountReport = 'full' | 'changes';

/**
 * The tree of one mount, charged to the run's filesystem budget (the root counts as one inode).
 * Files keep the entries' arrays as their contents: the entries are the tree's from here on.
 */
export function buildTree(mount: MountInfo, entries: readonly MountEntry[], now: bigint, budget: FsBudget): DirNode {
  const root = new DirNode(mount, now);
  budget.chargeEntry('');
  for (const entry of entries) {
    const parts = entry.path.split('/').filter((p) => p !== '' && p !== '.');
    const isDir = entry.path.endsWith('/') || (entry.data === null && entry.symlink === undefined);
    let dir = root;
    const last = isDir ? parts.length : parts.length - 1;
    for (let i = 0; i < last; i++) {
      const existing = dir.entries.get(parts[i]);
      if (existing instanceof DirNode) dir = existing;
      else {
        const made = new DirNode(mount, now);
        budget.chargeEntry(parts[i]);
        dir.add(parts[i], made, now);
        dir = made;
      }
    }
    if (isDir) continue;
    const name = parts[parts.length - 1];
    if (name === undefined) continue;
    let node: Node;
    if (entry.symlink !== undefined) {
      const link = new SymlinkNode(mount, now, entry.symlink);
      budget.chargeEntry(name, link.targetBytes.length);
      node = link;
    } else {
      const file = new FileNode(mount, now, entry.data ?? new Uint8Array(0), true);
      file.origin = entry.origin ?? null;
      budget.chargeEntry(name, file.length);
      node = file;
    }
    const replaced = dir.entries.get(name);
    if (replaced !== undefined) budget.releaseEntry(name, replaced instanceof FileNode ? replaced.length : 0);
    dir.add(name, node, now);
  }
  return root;
}

/**
 * Every entry beneath `root`, depth first, names in directory order. With 'changes', a file whose
 * bytes are still those copied in carries its origin instead of its bytes.
 */
export function readTree(root: DirNode, report: MountReport = 'full'): MountEntry[] {
  const out: MountEntry[] = [];
  const walk = (dir: DirNode, prefix: string) => {
    for (const [name, node] of dir.entries) {
      const path = prefix + name;
      if (node instanceof DirNode) {
        out.push({ path: path + '/', data: null });
        walk(node, path + '/');
      } else if (node instanceof FileNode) {
        if (report === 'changes' && node.origin !== null) out.push({ path, data: null, origin: node.origin });
        else out.push({ path, data: node.bytes().slice() });
      } else if (node instanceof SymlinkNode) {
        out.push({ path, data: null, symlink: node.target });
      }
    }
  };
  walk(root, '');
  return out;
}
