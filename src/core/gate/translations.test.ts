import { describe, expect, it } from 'vitest';
import { builtInSources, SECRET_PATTERNS } from './patterns.ts';
import { rustRegex } from './rust-regex.ts';
import { TRANSLATIONS } from './translations.ts';

describe('the built-in patterns translated ahead of time', () => {
  it('are exactly what rust-regex.ts makes of each (else: npx tsx scripts/gate-translations.ts)', () => {
    const sources = builtInSources();
    expect([...TRANSLATIONS.keys()].sort()).toEqual([...new Set(sources)].sort());
    for (const source of sources) {
      const fresh = rustRegex(source);
      expect(TRANSLATIONS.get(source), source).toEqual([fresh.source, fresh.flags]);
    }
  });

  it('are what the patterns use', () => {
    for (const p of SECRET_PATTERNS) {
      const fresh = rustRegex(p.source);
      expect([p.regex.source, p.regex.flags]).toEqual([fresh.source, fresh.flags]);
      expect(p.regex).toBe(p.regex); // made once
    }
  });
});
