import { describe, expect, it } from 'vitest';
import { loadDocument, mountsOf, type SandboxConfig } from '../core/index.ts';
import { bytesOf, contentsOf, filesIn, mountChanges } from './mount-files.ts';

function config(doc: unknown): SandboxConfig {
  const loaded = loadDocument(doc);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('mount files', () => {
  const c = config({
    policy: { landlock_rules: [{ path: '/out', access: 'rw' }, { path: '/out/deep', access: 'ro' }, { path: '/data', access: 'ro' }] },
    files: { '/out/b.txt': 'b', '/out/a/x.txt': 'x', '/out/deep/y.txt': 'y', '/data/z.txt': 'z' },
  });
  const mounts = mountsOf(c);

  it('groups the policy files by their deepest mount, sorted', () => {
    expect(filesIn(c.files, mounts[0], mounts).map((f) => f.name)).toEqual(['a/x.txt', 'b.txt']);
    expect(filesIn(c.files, mounts[1], mounts).map((f) => f.name)).toEqual(['y.txt']);
  });

  it('keeps text as text and other bytes as base64, both ways', () => {
    expect(contentsOf(enc('hi\n'))).toBe('hi\n');
    const binary = new Uint8Array([0, 1, 2, 255]);
    const stored = contentsOf(binary);
    expect(stored).toEqual({ base64: 'AAEC/w==' });
    expect([...bytesOf(stored)]).toEqual([0, 1, 2, 255]);
  });

  it('reports what a run added, modified and deleted in a read-write mount', () => {
    const changes = mountChanges(c, mounts, [
      { path: '/out', entries: [{ path: 'a/', data: null }, { path: 'b.txt', data: enc('B!') }, { path: 'new/', data: null }, { path: 'new/n.txt', data: enc('n') }] },
    ]);
    expect(changes.map((ch) => `${ch.kind} ${ch.path}`)).toEqual([
      'deleted /out/a/x.txt',
      'modified /out/b.txt',
      'added /out/new/',
      'added /out/new/n.txt',
    ]);
  });
});
