/** Building mount trees from plain data, and reading them back after a run. */
import { DirNode, FileNode, SymlinkNode, type MountInfo, type Node } from './fs.ts';

/** A file or directory as plain, cloneable data. Directory paths end with "/". */
export interface MountEntry {
  /** Path relative to the mount root, "/"-separated, no leading slash. */
  path: string;
  data: Uint8Array | null;
  /** Set for symlinks. */
  symlink?: string;
}

export function buildTree(mount: MountInfo, entries: readonly MountEntry[], now: bigint): DirNode {
  const root = new DirNode(mount, now);
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
        dir.add(parts[i], made, now);
        dir = made;
      }
    }
    if (isDir) continue;
    const name = parts[parts.length - 1];
    if (name === undefined) continue;
    const node: Node = entry.symlink !== undefined
      ? new SymlinkNode(mount, now, entry.symlink)
      : new FileNode(mount, now, entry.data ?? new Uint8Array(0));
    dir.add(name, node, now);
  }
  return root;
}

/** Every entry beneath `root`, depth first, names in directory order. */
export function readTree(root: DirNode): MountEntry[] {
  const out: MountEntry[] = [];
  const walk = (dir: DirNode, prefix: string) => {
    for (const [name, node] of dir.entries) {
      const path = prefix + name;
      if (node instanceof DirNode) {
        out.push({ path: path + '/', data: null });
        walk(node, path + '/');
      } else if (node instanceof FileNode) {
        out.push({ path, data: node.bytes().slice() });
      } else if (node instanceof SymlinkNode) {
        out.push({ path, data: null, symlink: node.target });
      }
    }
  };
  walk(root, '');
  return out;
}
