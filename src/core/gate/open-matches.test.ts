import { describe, expect, it } from 'vitest';
import { seededRandom } from '../share/random-setup.ts';
import { SECRET_SAMPLES } from '../../testing/secret-samples.ts';
import { automatonFor, OpenMatches } from './open-matches.ts';
import { SECRET_PATTERNS, type SecretPattern } from './patterns.ts';

const pattern = (name: string) => SECRET_PATTERNS.find((p) => p.name === name)!;

function earliestAfter(p: SecretPattern, pieces: readonly string[]): number {
  const o = new OpenMatches(p);
  for (const piece of pieces) o.feed(piece);
  return o.earliestOpen();
}

describe('open partial matches', () => {
  it('builds an automaton from every pattern, with the bounds the gate documents', () => {
    const bounds = Object.fromEntries(SECRET_PATTERNS.map((p) => {
      const a = automatonFor(p);
      return [p.name, `${a.maxLength}${a.crossesLines ? ' across lines' : ''}`];
    }));
    expect(bounds).toEqual({
      aws_access_key: '20', aws_secret_key: '91', gcp_api_key: '39', github_token: 'Infinity', stripe_key: 'Infinity',
      slack_token: 'Infinity', generic_api_key: 'Infinity across lines', bearer_token: 'Infinity across lines', jwt: 'Infinity',
      private_key: '35', password_assignment: 'Infinity across lines', database_url: 'Infinity', email: 'Infinity', ssn: '11',
    });
  });

  it('refuses regex syntax it does not model', () => {
    for (const source of ['a(?=b)', '(a)\\1', 'a+?', '^a', 'a\\bb']) {
      const p: SecretPattern = { ...pattern('aws_access_key'), regex: new RegExp(source, 'g') };
      expect(() => automatonFor(p), source).toThrow(/secret pattern|not supported/);
    }
  });

  it('reports where a match could still begin, and nothing once it cannot', () => {
    const aws = pattern('aws_access_key');
    expect(earliestAfter(aws, ['key AKIA12'])).toBe(4);
    expect(earliestAfter(aws, ['key AKIA12', '34567890123456'])).toBe(Infinity); // whole, and it cannot grow
    expect(earliestAfter(aws, ['key AKIA12', 'x'])).toBe(Infinity);
    expect(earliestAfter(pattern('github_token'), [`ghp_${'a'.repeat(40)}`])).toBe(0); // whole, but it can grow
    expect(earliestAfter(pattern('ssn'), ['x 123-45-6789'])).toBe(2); // the closing \b waits for the next character
    expect(earliestAfter(pattern('ssn'), ['x 123-45-6789', ' '])).toBe(Infinity);
    expect(earliestAfter(pattern('ssn'), ['x1123'])).toBe(Infinity); // no \b before any of its digits
    expect(earliestAfter(pattern('ssn'), ['x1123-45-6'])).toBe(9); // but "6" could begin one
    expect(earliestAfter(pattern('password_assignment'), ['Password =\n\n "hunter2\nstill'])).toBe(0);
    expect(earliestAfter(pattern('email'), ['mail ada@example.org'])).toBe(5);
    expect(earliestAfter(pattern('email'), ['mail ada@example.org\n'])).toBe(Infinity);
    expect(earliestAfter(pattern('private_key'), ['-----BEGIN EC PRIV'])).toBe(0);
    expect(earliestAfter(pattern('private_key'), ['-----BEGIN DSA'])).toBe(Infinity);
  });

  it('never misses the start of a match, wherever the text is cut (random texts against the regex)', () => {
    const random = seededRandom(77);
    const pieces = [...SECRET_SAMPLES.map((s) => s[1]), 'a', 'Z', '0', '-', '_', '.', '@', ' ', '\n', '"', "'", ':', '=', '/', 'é', '\u2028', 'eyJ', 'AKIA', 'x.y'];
    let checked = 0;
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let i = 0, n = 1 + Math.floor(random() * 6); i < n; i++) {
        const piece = pieces[Math.floor(random() * pieces.length)];
        // Damage a piece now and then, so near misses occur too.
        text += random() < 0.3 ? piece.slice(0, Math.floor(random() * piece.length)) : piece;
      }
      for (const p of SECRET_PATTERNS) {
        const sticky = new RegExp(p.regex.source, p.regex.flags.replace('g', '') + 'y');
        const o = new OpenMatches(p);
        const earliest: number[] = [];
        for (let k = 0; k < text.length; k++) {
          o.feed(text[k]);
          earliest.push(o.earliestOpen());
        }
        for (let start = 0; start < text.length; start++) {
          sticky.lastIndex = start;
          const m = sticky.exec(text);
          if (m === null) continue;
          // Cut anywhere inside the match: the gate must be holding from its start or earlier.
          for (let k = start + 1; k < start + m[0].length; k++) {
            expect(earliest[k - 1], `${p.name} in ${JSON.stringify(text)} cut at ${k}`).toBeLessThanOrEqual(start);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});
