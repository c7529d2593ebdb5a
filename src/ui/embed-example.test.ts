/** public/embed-example.html embeds two lessons: each frame's link opens its example under the lesson's policy, in the embed view. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeShareLink, exampleById, parseDocument } from '../core/index.ts';
import { lessonPolicy } from '../lessons/index.ts';

const html = readFileSync(new URL('../../public/embed-example.html', import.meta.url), 'utf8');
const frames = [...html.matchAll(/<iframe\s+title="([^"]+)"\s+src="([^"]+)"\s+sandbox="([^"]+)"/g)].map((m) => ({ title: m[1], src: m[2], sandbox: m[3] }));

describe('the embed example page', () => {
  it('embeds two lessons, each a share link to its example with "&embed", in a sandboxed frame that allows scripts', async () => {
    expect(frames.map((f) => f.title)).toEqual(['Read-only attack, in Kavach Playground', 'Escape attempts, in Kavach Playground']);
    for (const [frame, id] of frames.map((f, i) => [f, ['ro_attack', 'escape'][i]] as const)) {
      expect(frame.src).toMatch(/^\.\/#v2\.[A-Za-z0-9_-]+&embed$/);
      expect(frame.sandbox.split(' ')).toContain('allow-scripts');
      const link = await decodeShareLink(frame.src);
      expect(link.ok).toBe(true);
      if (!link.ok) return;
      expect(link.setup.module).toEqual({ kind: 'example', id });
      expect(link.setup.config).toEqual(parseDocument(lessonPolicy(exampleById(id)!, 'default')));
    }
  });

  it('asks no other host for anything', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script/);
  });
});
