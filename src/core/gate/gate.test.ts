import { describe, expect, it } from 'vitest';
import { externalizationSchema } from '../policy/schema.ts';
import { JWT_SAMPLE as JWT, SECRET_SAMPLES as SAMPLES } from '../../testing/secret-samples.ts';
import { DEFAULT_EXTERNALIZATION, SECRET_PATTERNS, findMatches, findSecrets, redactFindings, scanOutput } from './index.ts';

const policy = (p: Record<string, unknown>) => externalizationSchema.parse(p);

describe('secret patterns', () => {
  it('has exactly the 14 patterns the note lists', () => {
    expect(SECRET_PATTERNS.map((p) => p.name)).toEqual(SAMPLES.map((s) => s[0]));
  });

  it.each(SAMPLES)('%s: finds the sample with its category and severity', (name, sample, category, severity) => {
    const f = findSecrets(sample).find((x) => x.pattern === name);
    expect(f).toMatchObject({ category, severity });
    expect(f!.evidence).toBe(`${sample.slice(f!.start, f!.start + 4)}…`);
  });

  it('does not fire on near misses', () => {
    for (const text of [
      'AKIA1234', 'ghp_short', 'sk_live_short', 'xoxb-123', 'api_key = "short"', 'Bearer short',
      'eyJabc.eyJdef.ghi', '-----BEGIN PUBLIC KEY-----', 'password = "short"', 'postgres://x', 'alice@localhost',
      '1234-56-7890', 'a123-45-6789',
    ]) expect(findSecrets(text), text).toEqual([]);
  });

  it('accepts every private key header kavach lists, including the bare one', () => {
    for (const kind of ['RSA ', 'EC ', 'OPENSSH ', '']) {
      expect(findSecrets(`-----BEGIN ${kind}PRIVATE KEY-----`).map((f) => f.pattern)).toEqual(['private_key']);
    }
  });

  it('evidence never repeats the secret', () => {
    const [f] = findSecrets('AKIAIOSFODNN7EXAMPLE');
    expect(f.evidence).toBe('AKIA…');
  });
});

describe('linear scanners for JWT and email', () => {
  // Deterministic pseudo-random strings over the characters the two patterns care about.
  const PIECES: Record<string, string[]> = {
    jwt: ['eyJ', 'eyJabcdefghij', '.eyJabcdefghij', 'eyJabcdefghij.', 'abcdefghij', 'B9', '.', '-', '_', ' ', 'é'],
    email: ['a', 'b.c', '@', '@', '.com', '.x', '%', '+', ' ', 'ab', '-', '.', 'x1', 'é'],
  };
  function* randomTexts(pieces: string[], count: number): Generator<string> {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < count; i++) {
      let s = '';
      const n = next() % 30;
      for (let j = 0; j < n; j++) s += pieces[next() % pieces.length];
      yield s;
    }
  }

  it.each(['jwt', 'email'])('%s: yields exactly what matchAll yields', (name) => {
    const pattern = SECRET_PATTERNS.find((p) => p.name === name)!;
    let matched = 0;
    for (const text of randomTexts(PIECES[name], 5000)) {
      const expected = Array.from(text.matchAll(pattern.regex), (m) => ({ start: m.index, end: m.index + m[0].length }));
      expect(findMatches(pattern, text), JSON.stringify(text)).toEqual(expected);
      matched += expected.length;
    }
    expect(matched).toBeGreaterThan(50); // the corpus really exercises matches, not only misses
  });

  it('scans adversarial output that makes a backtracking regex quadratic', () => {
    const text = 'eyJ'.repeat(100_000) + ' ' + 'a.'.repeat(100_000) + '@' + 'b'.repeat(100_000) + ` ${JWT} bob@example.com`;
    const found = findSecrets(text).map((f) => f.pattern);
    expect(found).toEqual(['jwt', 'email']);
  });
});

describe('scanOutput verdicts', () => {
  it('passes clean output unchanged', () => {
    const r = scanOutput('hello, world\n', null);
    expect(r).toMatchObject({ verdict: 'pass', withheld: false, redacted: 'hello, world\n', findings: [], worst: null, reason: null });
  });

  it('warns on low and medium findings and redacts them by category', () => {
    const r = scanOutput('mail alice@example.com and api_key="abcdefghijklmnopqrstuv"', null);
    expect(r.verdict).toBe('warn');
    expect(r.worst).toBe('medium');
    expect(r.redacted).toBe('mail [REDACTED:pii] and [REDACTED:api_key]');
  });

  it('quarantines at high by default and withholds the output with a reason', () => {
    const r = scanOutput('Authorization: Bearer abcdefghijklmnopqrstuvwxyz', null);
    expect(r).toMatchObject({ verdict: 'quarantine', withheld: true, redacted: null });
    expect(r.reason).toBe('output quarantined: 1 finding(s), worst high (bearer_token) reaches quarantine_threshold high');
  });

  it('blocks at critical by default', () => {
    const r = scanOutput('AKIAIOSFODNN7EXAMPLE and 123-45-6789', null);
    expect(r).toMatchObject({ verdict: 'block', withheld: true, worst: 'critical' });
    expect(r.reason).toMatch(/worst critical \(aws_access_key, ssn\) reaches block_threshold critical/);
  });

  it('uses the policy thresholds', () => {
    const email = 'alice@example.com';
    expect(scanOutput(email, policy({ block_threshold: 'low' })).verdict).toBe('block');
    expect(scanOutput(email, policy({ quarantine_threshold: 'Low' })).verdict).toBe('quarantine');
    const bearer = 'bearer abcdefghijklmnopqrstuvwxyz';
    expect(scanOutput(bearer, policy({ quarantine_threshold: 'critical' })).verdict).toBe('warn');
    // Block is checked first: a quarantine threshold above the block threshold never applies.
    expect(scanOutput(bearer, policy({ block_threshold: 'medium', quarantine_threshold: 'low' })).verdict).toBe('block');
  });

  it('warns, not passes, when the worst finding is low (only info would pass)', () => {
    const r = scanOutput('bob@example.com', policy({}));
    expect(r).toMatchObject({ verdict: 'warn', worst: 'low', redacted: '[REDACTED:pii]' });
  });

  it('releases matches unredacted on warn when redact_secrets is false, and says so', () => {
    const r = scanOutput('bob@example.com', policy({ redact_secrets: false }));
    expect(r).toMatchObject({ verdict: 'warn', redacted: 'bob@example.com', notes: ['redact_secrets is false: matches released unredacted'] });
  });

  it('blocks output over max_artifact_size_bytes, counting UTF-8 bytes', () => {
    expect(scanOutput('ééééé', policy({ max_artifact_size_bytes: 10 })).verdict).toBe('pass');
    const r = scanOutput('éééééé', policy({ max_artifact_size_bytes: 10 }));
    expect(r).toMatchObject({ verdict: 'block', withheld: true });
    expect(r.reason).toBe('output is 12 bytes, over the externalization limit of 10 bytes (max_artifact_size_bytes); not scanned');
  });

  it('passes everything with a note when the gate is disabled', () => {
    const r = scanOutput('AKIAIOSFODNN7EXAMPLE', policy({ enabled: false }));
    expect(r).toMatchObject({ verdict: 'pass', redacted: 'AKIAIOSFODNN7EXAMPLE', findings: [] });
    expect(r.notes[0]).toMatch(/disabled by policy/);
  });

  it('uses kavach defaults for a null policy', () => {
    expect(DEFAULT_EXTERNALIZATION).toEqual({
      enabled: true, max_artifact_size_bytes: 50 * 1024 * 1024, block_threshold: 'critical', quarantine_threshold: 'high', redact_secrets: true,
    });
  });
});

describe('redaction overlap rule', () => {
  it('redacts the longer of two matches that start together and skips the contained one', () => {
    const text = 'url postgres://bob@db.example.com/app.';
    const findings = findSecrets(text);
    expect(findings.map((f) => f.pattern)).toEqual(['database_url', 'email']);
    expect(redactFindings(text, findings)).toBe('url [REDACTED:connection_string]');
  });

  it('skips a later match that overlaps, even if it runs further (kavach leaves its tail)', () => {
    const base = { pattern: 'x', severity: 'low' as const, evidence: '' };
    const text = '0123456789';
    expect(redactFindings(text, [
      { ...base, category: 'pii', start: 3, end: 9 },
      { ...base, category: 'api_key', start: 0, end: 5 },
    ])).toBe('[REDACTED:api_key]56789');
    expect(redactFindings(text, [
      { ...base, category: 'pii', start: 0, end: 3 },
      { ...base, category: 'api_key', start: 2, end: 6 },
    ])).toBe('[REDACTED:pii]3456789');
  });
});

describe('the default externalization block', () => {
  it('written out for the worker, is exactly the schema\'s default', () => {
    expect(DEFAULT_EXTERNALIZATION).toEqual(externalizationSchema.parse({}));
  });
});
