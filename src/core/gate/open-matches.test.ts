import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../testing/share/random-setup.ts';
import { SECRET_SAMPLES } from '../../testing/secret-samples.ts';
import { automatonFor, OpenMatches } from './open-matches.ts';
import { CODE_PATTERNS, DATA_PATTERNS, ENTROPY_PATTERN, SECRET_PATTERNS, type GatePattern } from './patterns.ts';

const ALL_PATTERNS = [...SECRET_PATTERNS, ENTROPY_PATTERN, ...DATA_PATTERNS, ...CODE_PATTERNS];
const pattern = (name: string) => ALL_PATTERNS.find((p) => p.name === name)!;

function earliestAfter(p: GatePattern, pieces: readonly string[]): number {
  const o = new OpenMatches(p);
  for (const piece of pieces) o.feed(piece);
  return o.earliestOpen();
}

describe('open partial matches', () => {
  it('builds an automaton from every pattern, with the bounds the gate documents', () => {
    const bounds = Object.fromEntries([...SECRET_PATTERNS, ENTROPY_PATTERN, ...DATA_PATTERNS].map((p) => {
      const a = automatonFor(p);
      return [p.name, `${a.maxLength}${a.crossesLines ? ' across lines' : ''}`];
    }));
    expect(bounds).toEqual({
      aws_access_key: '20', aws_secret_key: '91', gcp_api_key: '39', github_token: 'Infinity', stripe_key: 'Infinity',
      slack_token: 'Infinity', generic_api_key: 'Infinity across lines', bearer_token: 'Infinity across lines', jwt: 'Infinity',
      rsa_private_key: '31', ec_private_key: '30', openssh_private_key: '35', private_key: '27', password_assignment: 'Infinity across lines',
      database_url: 'Infinity', email: 'Infinity', ssn: '11', high_entropy: 'Infinity',
      credit_card_visa: '16', credit_card_mastercard: '16', credit_card_amex: '15', us_phone: '17 across lines', ipv4: '15', iban: '33',
      hipaa: 'Infinity across lines', gdpr: 'Infinity across lines', pci_dss: 'Infinity across lines', soc2: 'Infinity across lines',
    });
    const code = CODE_PATTERNS.map((p) => automatonFor(p));
    expect(Math.max(...code.map((a) => a.maxLength))).toBe('bash -i >& /dev/tcp'.length);
    expect(code.some((a) => a.crossesLines)).toBe(false);
  });

  it('refuses regex syntax it does not model', () => {
    for (const source of ['a(?=b)', '(a)\\1', 'a+?', '^a', 'a\\Bb', 'a\\wb', '[[a]b]', '[a&&b]', 'a(?i)b', '(?s).', 'a{3,2}']) {
      const p: GatePattern = { ...pattern('aws_access_key'), source };
      expect(() => automatonFor(p), source).toThrow(/pattern .* at \d+: /);
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
    expect(earliestAfter(pattern('ec_private_key'), ['-----BEGIN EC PRIV'])).toBe(0);
    expect(earliestAfter(pattern('ec_private_key'), ['-----BEGIN DSA'])).toBe(Infinity);
  });

  it("keeps Rust's meaning: code points, Unicode \\b, \\d and \\s, case folding", () => {
    expect(earliestAfter(pattern('ssn'), ['x é123-45-6789'])).toBe(Infinity); // "é" is a word character: no \b before "1"
    expect(earliestAfter(pattern('ssn'), ['x —١٢٣-٤٥'])).toBe(3);
    expect(earliestAfter(pattern('ssn'), ['𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗'])).toBe(0); // the closing \b waits
    expect(earliestAfter(pattern('ssn'), ['𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗', 'é'])).toBe(Infinity);
    expect(earliestAfter(pattern('password_assignment'), ['PAſſWORD = "abc'])).toBe(0);
    expect(earliestAfter(pattern('bearer_token'), ['bearer\u0085abc'])).toBe(0);
    expect(earliestAfter(pattern('bearer_token'), ['bearer\uFEFFabc'])).toBe(Infinity);
    expect(earliestAfter(pattern('aws_secret_key'), ['aws\rsecret="abc'])).toBe(0);
    expect(earliestAfter(pattern('hipaa'), ['the PHI'])).toBe(4); // the closing \b of one branch waits too
    expect(earliestAfter(pattern('hipaa'), ['the PHI', 'L'])).toBe(Infinity);
    expect(earliestAfter(pattern('reverse_shell'), ['mK'])).toBe(0);
    // A high surrogate at the end of a piece waits for its pair, and may begin a match.
    expect(earliestAfter(pattern('ssn'), ['x ', '\uD835'])).toBe(2);
    expect(earliestAfter(pattern('ssn'), ['x ', '\uD835', '\uDFCF'])).toBe(2);
  });

  it('never misses the start of a match, wherever the text is cut (random texts against the regex)', () => {
    const random = seededRandom(77);
    const pieces = [
      ...SECRET_SAMPLES.map((s) => s[1]), 'a', 'Z', '0', '-', '_', '.', '@', ' ', '\n', '"', "'", ':', '=', '/', 'é', '\u2028', 'eyJ', 'AKIA', 'x.y',
      'ſ', 'K', '\r', '\u0085', '\uFEFF', '١٢٣', '𝟏', '🦀', 'İ', 'paſſword="', 'bearer\u0085', '١٢٣-٤٥-٦٧٨٩', '4111111111111111', '(555) 123-4567',
      '192.168.1.100', 'DE89370400440532013000', 'patient  id', 'PHI', 'SOC 2', 'sudo ', 'rm -rf', '/dev/tcp/', 'mKfifo', '../', '\\x00',
      'Zx9Qm2Lp7Vr4Tn8Kw3Hy6Bd1Fg5Jc0A',
    ];
    const checked: Record<string, number> = { secrets: 0, data: 0, code: 0 };
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let i = 0, n = 1 + Math.floor(random() * 6); i < n; i++) {
        const piece = pieces[Math.floor(random() * pieces.length)];
        // Damage a piece now and then, so near misses occur too.
        text += random() < 0.3 ? piece.slice(0, Math.floor(random() * piece.length)) : piece;
      }
      for (const p of ALL_PATTERNS) {
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
            checked[p.scanner]++;
          }
        }
      }
    }
    expect(checked.secrets).toBeGreaterThan(5000);
    expect(Math.min(checked.data, checked.code)).toBeGreaterThan(300);
  });
});
