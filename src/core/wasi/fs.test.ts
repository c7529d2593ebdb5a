import { describe, expect, it } from 'vitest';
import { E } from './errno.ts';
import { DirNode, FileNode, SymlinkNode, resolve, type MountInfo } from './fs.ts';

const mount: MountInfo = { path: '/m', readOnly: false, rule: 0, readOnlyReason: null };

/** root/{a/{b/, f}, link -> a/f, up -> ../x, abs -> /etc, loop -> loop} */
function tree() {
  const root = new DirNode(mount, 0n);
  const a = new DirNode(mount, 0n);
  const b = new DirNode(mount, 0n);
  const f = new FileNode(mount, 0n, new Uint8Array([1, 2, 3]));
  root.add('a', a, 0n);
  a.add('b', b, 0n);
  a.add('f', f, 0n);
  root.add('link', new SymlinkNode(mount, 0n, 'a/f'), 0n);
  root.add('up', new SymlinkNode(mount, 0n, '../x'), 0n);
  root.add('abs', new SymlinkNode(mount, 0n, '/etc'), 0n);
  root.add('loop', new SymlinkNode(mount, 0n, 'loop'), 0n);
  return { root, a, b, f };
}

describe('resolve: capability path resolution', () => {
  it('walks ".", ".." and repeated slashes inside the start directory', () => {
    const { root, a, f } = tree();
    const r = resolve(root, 'a/./b/..//f', false);
    expect(r).toMatchObject({ ok: true, parent: a, name: 'f', node: f });
  });

  it('never leaves the start directory: absolute paths, ".." above it, links out of it', () => {
    const { root, a } = tree();
    expect(resolve(root, '/a', false)).toEqual({ ok: false, errno: E.NOTCAPABLE });
    expect(resolve(root, 'a/../..', false)).toEqual({ ok: false, errno: E.NOTCAPABLE });
    expect(resolve(a, '..', false)).toEqual({ ok: false, errno: E.NOTCAPABLE });
    expect(resolve(root, 'up', true)).toEqual({ ok: false, errno: E.NOTCAPABLE });
    expect(resolve(root, 'abs', true)).toEqual({ ok: false, errno: E.NOTCAPABLE });
  });

  it('follows a final symlink only when asked, or for a trailing slash unless the call acts on names', () => {
    const { root, f } = tree();
    expect(resolve(root, 'link', false)).toMatchObject({ ok: true, name: 'link' });
    expect(resolve(root, 'link', true)).toMatchObject({ ok: true, name: 'f', node: f });
    expect(resolve(root, 'link/', false)).toMatchObject({ ok: true, node: f, trailingSlash: true });
    expect(resolve(root, 'link/', false, false)).toMatchObject({ ok: true, name: 'link', trailingSlash: true });
    expect(resolve(root, 'loop', true)).toEqual({ ok: false, errno: E.LOOP });
    expect(resolve(root, 'loop/x', false)).toEqual({ ok: false, errno: E.LOOP });
  });

  it('names a directory, not an entry, for a final "." or ".."', () => {
    const { root, a } = tree();
    expect(resolve(root, 'a/.', false)).toMatchObject({ ok: true, name: null, node: a, last: '.' });
    expect(resolve(root, 'a/b/..', false)).toMatchObject({ ok: true, name: null, node: a, last: '..' });
    expect(resolve(root, 'a/f/.', false)).toEqual({ ok: false, errno: E.NOTDIR });
  });

  it('refuses NUL, empty paths and names over 255 bytes (counted in UTF-8)', () => {
    const { root } = tree();
    expect(resolve(root, 'a\0b', false)).toEqual({ ok: false, errno: E.INVAL });
    expect(resolve(root, '', false)).toEqual({ ok: false, errno: E.NOENT });
    expect(resolve(root, 'n'.repeat(255), false)).toMatchObject({ ok: true, node: null });
    expect(resolve(root, 'n'.repeat(256), false)).toEqual({ ok: false, errno: E.NAMETOOLONG });
    expect(resolve(root, '\u00e9'.repeat(128), false)).toEqual({ ok: false, errno: E.NAMETOOLONG });
  });
});

describe('DirNode', () => {
  it('keeps readdir positions stable: removing one entry does not move the others', () => {
    const dir = new DirNode(mount, 0n);
    for (const name of ['p', 'q', 'r', 's']) dir.add(name, new FileNode(mount, 0n), 0n);
    const [, q, r] = dir.entriesFrom(0);
    dir.remove('p', 1n);
    expect(dir.entriesFrom(q.seq + 1).map((e) => e.name)).toEqual(['r', 's']);
    dir.remove('r', 2n);
    dir.add('r', new FileNode(mount, 0n), 3n);
    expect(dir.entriesFrom(r.seq).map((e) => e.name)).toEqual(['s', 'r']);
  });

  it('counts links as POSIX does: 2 plus one per subdirectory', () => {
    const dir = new DirNode(mount, 0n);
    dir.add('file', new FileNode(mount, 0n), 0n);
    dir.add('sub', new DirNode(mount, 0n), 0n);
    expect(dir.nlink).toBe(3n);
    dir.remove('sub', 1n);
    expect(dir.nlink).toBe(2n);
    expect(dir.mtim).toBe(1n);
  });
});
