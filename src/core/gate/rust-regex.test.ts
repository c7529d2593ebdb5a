import { describe, expect, it } from 'vitest';
import { parseRustRegex, rustRegex } from './rust-regex.ts';

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
