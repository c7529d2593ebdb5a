import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../testing/share/random-setup.ts';
import { DATA_PATTERNS, SECRET_PATTERNS } from './patterns.ts';
import { WORD_CHAR, parseRustRegex, rustRegex } from './rust-regex.ts';

const matches = (source: string, text: string) => Array.from(text.matchAll(rustRegex(source)), (m) => m[0]);

describe('Rust regex to JavaScript', () => {
  it('reads (?i) at the start as the i flag, and always adds u', () => {
    expect(rustRegex('(?i)ab').flags).toBe('giu');
    expect(rustRegex('ab').flags).toBe('gu');
    expect(parseRustRegex('(?i)ab').caseInsensitive).toBe(true);
  });

  it('translates ., \\d, \\s and \\b to their Rust meaning', () => {
    expect(matches('a.c', 'a\rc a\nc a\u2028c')).toEqual(['a\rc', 'a\u2028c']);
    expect(matches('\\d+', '12 ٣٤ ５')).toEqual(['12', '٣٤', '５']);
    expect(matches('a\\sb', 'a\u0085b a\uFEFFb a\tb')).toEqual(['a\u0085b', 'a\tb']);
    expect(matches('[^\\s]+', 'x\uFEFFy z')).toEqual(['x\uFEFFy', 'z']);
    expect(matches('\\bab\\b', 'ab éab ab_ ab—')).toEqual(['ab', 'ab']);
  });

  it('spells \\b as one lookaround where a side is known, and both ways round where not', () => {
    const W = WORD_CHAR;
    expect(rustRegex('\\b\\d{3}\\b').source).toBe(`(?<!${W})\\p{Nd}{3,3}(?!${W})`);
    expect(rustRegex('\\b\\(').source).toBe(`(?<=${W})\\(`);
    expect(rustRegex('-\\b').source).toBe(`-(?=${W})`);
    expect(rustRegex('\\b(?:\\+|1)').source).toBe(`(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))(?:\\+|1)`);
    expect(rustRegex('\\b[a-z_]').source).toBe(`(?<!${W})[a-z_]`);
    expect(rustRegex('\\b[a-z-]').source).toContain('|'); // "-" is not a word character: either may follow
  });

  it('gives the same matches with the one-sided lookarounds as with the two-sided \\b (random texts)', () => {
    const W = WORD_CHAR;
    const both = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
    const general = (re: RegExp) => new RegExp(re.source.split(both).map((part) => part
      .replaceAll(`(?<!${W})`, both).replaceAll(`(?<=${W})`, both).replaceAll(`(?!${W})`, both).replaceAll(`(?=${W})`, both)).join(both), re.flags);
    const random = seededRandom(5);
    const pieces = ['123-45-6789', '4111111111111111', '5500000000000004', '378282246310005', '(555) 123-4567', '+1 555.123.4567', '192.168.1.100',
      'DE89370400440532013000', 'PHI', 'patient id', 'SOC 2', 'CVV', 'é', 'a', '1', '_', ' ', '-', '.', '\n', '١٢٣', '(', '+', 'x'];
    let matched = 0;
    for (const p of [...SECRET_PATTERNS, ...DATA_PATTERNS].filter((x) => x.source.includes('\\b'))) {
      const reference = general(p.regex);
      expect(reference.source).not.toBe(p.regex.source);
      for (let round = 0; round < 300; round++) {
        let text = '';
        for (let i = 0, n = 1 + Math.floor(random() * 5); i < n; i++) text += pieces[Math.floor(random() * pieces.length)];
        const found = Array.from(text.matchAll(p.regex), (m) => [m.index, m[0]]);
        expect(found, `${p.name} in ${JSON.stringify(text)}`).toEqual(Array.from(text.matchAll(reference), (m) => [m.index, m[0]]));
        matched += found.length;
      }
    }
    expect(matched).toBeGreaterThan(100);
  });

  it('folds case as Rust does under (?i): simple case folding, classes included', () => {
    expect(matches('(?i)s', 'sSſ')).toEqual(['s', 'S', 'ſ']);
    expect(matches('(?i)[a-z]', 'K')).toEqual(['K']);
    expect(matches('[a-z]', 'K')).toEqual([]);
  });

  it('counts repetitions in characters', () => {
    expect(matches('x.{2}y', 'x🦀🦀y x🦀y')).toEqual(['x🦀🦀y']);
  });

  it('keeps groups, alternation and counted repetition', () => {
    expect(matches('sk_(live|test)_[0-9]{2,}', 'sk_live_12 sk_test_1 sk_prod_12')).toEqual(['sk_live_12']);
    expect(matches('(?:ab)?c', 'abc c')).toEqual(['abc', 'c']);
  });

  it('refuses what it does not know, naming the position', () => {
    for (const [source, at] of [['a(?=b)', 1], ['a\\wb', 1], ['[[a]]', 1], ['a+?', 2], ['^a', 0], ['a]', 1], ['(?s).', 0], ['[ab', 0]] as const) {
      expect(() => parseRustRegex(source), source).toThrow(`at ${at}:`);
    }
  });
});
