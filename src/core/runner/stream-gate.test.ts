import { describe, expect, it } from 'vitest';
import { findSecrets, redactFindings, severityRank, type Finding } from '../gate/index.ts';
import { externalizationSchema, type ExternalizationPolicy } from '../policy/schema.ts';
import { seededRandom } from '../share/random-setup.ts';
import { SECRET_SAMPLES } from '../../testing/secret-samples.ts';
import { HOLD_LIMIT, StreamGate } from './stream-gate.ts';

const DEFAULTS = externalizationSchema.parse({});
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
type Stream = 'stdout' | 'stderr';

/** What each write released, then the end of the run. */
function feed(pieces: readonly string[], policy: ExternalizationPolicy = DEFAULTS, stream: Stream = 'stdout') {
  const gate = new StreamGate(policy, 1 << 20);
  const perWrite = pieces.map((p) => decode(gate.pass(stream, encode(p))));
  const atEnd = decode(gate.pass('stdout', new Uint8Array(0), true)) + decode(gate.pass('stderr', new Uint8Array(0), true));
  return { perWrite, atEnd, released: perWrite.join('') + atEnd, report: gate.report() };
}

const bytewise = (text: string) => Array.from(encode(text), (b) => decode(Uint8Array.of(b)));

/**
 * The gate's promise, stated on the whole output: everything before the first finding that
 * reaches the quarantine threshold (more exactly, before the group of overlapping findings it
 * belongs to) is released, with warn-level findings redacted by kavach's rule; nothing from
 * there on. However the output was cut into writes.
 */
function wholeOutput(text: string, policy: ExternalizationPolicy = DEFAULTS): string {
  const findings = findSecrets(text);
  const withholds = (f: Finding) => severityRank(f.severity) >= severityRank(policy.quarantine_threshold);
  let stop = text.length;
  for (let i = 0; i < findings.length;) {
    let end = findings[i].end;
    let j = i + 1;
    while (j < findings.length && findings[j].start < end) end = Math.max(end, findings[j++].end);
    if (findings.slice(i, j).some(withholds)) {
      stop = findings[i].start;
      break;
    }
    i = j;
  }
  const before = findings.filter((f) => f.end <= stop);
  return policy.redact_secrets ? redactFindings(text.slice(0, stop), before) : text.slice(0, stop);
}

describe('the output gate sees a match whole before releasing any of it', () => {
  it('blocks an AWS key written as 19 + 1 characters before any of it leaves', () => {
    const r = feed(['key AKIAIOSFODNN7EXAMPL', 'E\nmore\n']);
    expect(r.perWrite).toEqual(['key ', '']);
    expect(r.released).toBe('key ');
    expect(r.report.verdict).toBe('block');
    expect(r.report.reason).toMatch(/^output blocked at stdout character 4 \(aws_access_key, "AKIA…"\)/);
  });

  it.each(SECRET_SAMPLES)('%s: written one byte at a time, releases exactly what the whole output would', (_name, sample) => {
    for (const text of [sample, `${sample}\n`, `before\n${sample}\nafter\n`]) {
      const r = feed(bytewise(text));
      expect(r.released, JSON.stringify(text)).toBe(wholeOutput(text));
    }
  });

  it('redacts an email written in two pieces as one match', () => {
    const r = feed(['mail someone@exa', 'mple.com now\n']);
    expect(r.perWrite).toEqual(['mail ', '[REDACTED:pii] now\n']);
    expect(r.report.verdict).toBe('warn');
  });

  it('quarantines a token completed by a later write and keeps it, whole, for the user', () => {
    const r = feed(['before\nslack xoxb-12345', '67890-abcdefghij', '\nafter\n']);
    expect(r.released).toBe('before\nslack ');
    expect(r.report.verdict).toBe('quarantine');
    expect(r.report.quarantined?.stdout).toBe('xoxb-1234567890-abcdefghij\nafter\n');
  });

  it('warns after holding back, and releases matches unredacted when redact_secrets is false', () => {
    const text = ['api_key = "abcdefghij', 'klmnopqrstu" and ada@', 'example.org\n'];
    expect(feed(text).released).toBe('[REDACTED:api_key] and [REDACTED:pii]\n');
    const plain = feed(text, externalizationSchema.parse({ redact_secrets: false }));
    expect(plain.released).toBe(text.join(''));
    expect(plain.report.verdict).toBe('warn');
  });

  it('blocks at the policy threshold after holding back', () => {
    const r = feed(['ok\nemail: ada@exa', 'mple.org\n'], externalizationSchema.parse({ block_threshold: 'low', quarantine_threshold: 'low' }));
    expect(r.released).toBe('ok\nemail: ');
    expect(r.report.verdict).toBe('block');
  });

  it('matches random outputs cut into random writes, byte for byte', () => {
    const random = seededRandom(1313);
    let withFindings = 0;
    const pieces = [
      ...SECRET_SAMPLES.map((s) => s[1]), 'hello world', ' ', '\n', '\n', 'x', '"', "'", ':', '=', 'password', 'Bearer ', 'aws',
      'secret', 'eyJ', 'ada@', 'example', '.org', '123-45-', '6789', 'AKIA', 'ghp_', 'postgres://', '    ', 'é', '🦀', '%', '-----BEGIN ',
    ];
    for (let round = 0; round < 400; round++) {
      let text = '';
      const parts = 1 + Math.floor(random() * 12);
      for (let i = 0; i < parts; i++) text += pieces[Math.floor(random() * pieces.length)];
      const bytes = encode(text);
      const writes: string[] = [];
      // Cut anywhere, even inside a UTF-8 sequence.
      for (let at = 0; at < bytes.length;) {
        const size = 1 + Math.floor(random() * Math.min(8, bytes.length - at));
        writes.push(String.fromCharCode(...bytes.subarray(at, at + size)));
        at += size;
      }
      const gate = new StreamGate(DEFAULTS, 1 << 20);
      let released = '';
      for (const w of writes) released += decode(gate.pass('stdout', Uint8Array.from(w, (c) => c.charCodeAt(0))));
      released += decode(gate.pass('stdout', new Uint8Array(0), true));
      expect(released, JSON.stringify(text)).toBe(wholeOutput(text));
      if (wholeOutput(text) !== text) withFindings++;
    }
    expect(withFindings).toBeGreaterThan(200);
  });
});

describe('what the gate holds back, and for how long', () => {
  it('releases an ordinary line in the same write', () => {
    const gate = new StreamGate(DEFAULTS, 1 << 20);
    for (const line of ['hello world\n', 'Result: 42 (took 3 ms)\n', 'user=ada path=/tmp/x.txt\n', 'progress 50%\n']) {
      expect(decode(gate.pass('stdout', encode(line)))).toBe(line);
    }
  });

  it('holds only the tail that could begin a match, and releases it when the next write rules it out', () => {
    expect(feed(['Saving file.txt', ' done\n']).perWrite).toEqual(['Saving ', 'file.txt done\n']);
    expect(feed(['key: AKIA', '1234 is short\n']).perWrite).toEqual(['key: ', 'AKIA1234 is short\n']);
    expect(feed(['id 123-45', '-678\n']).perWrite).toEqual(['id ', '123-45-678\n']);
  });

  it('releases what it holds at the end of the run', () => {
    const r = feed(['progress 50%', ' and file.txt']);
    expect(r.perWrite).toEqual(['progress ', '50% and ']);
    expect(r.atEnd).toBe('file.txt');
    expect(feed(['mail ada@example.org']).atEnd).toBe('[REDACTED:pii]');
    expect(feed(['ssn 123-45-6789']).report.verdict).toBe('block');
  });

  it('scans stdout and stderr separately, as kavach does: a key split across the two is not joined', () => {
    const gate = new StreamGate(DEFAULTS, 1 << 20);
    expect(decode(gate.pass('stdout', encode('AKIAIOSFOD')))).toBe('');
    expect(decode(gate.pass('stderr', encode('NN7EXAMPLE\n')))).toBe('NN7EXAMPLE\n');
    expect(decode(gate.pass('stdout', encode('\n')))).toBe('AKIAIOSFOD\n');
    expect(gate.report().verdict).toBe('pass');
  });

  it('stops both streams once one of them is withheld, holding the other stream\'s pending text too', () => {
    const gate = new StreamGate(DEFAULTS, 1 << 20);
    expect(decode(gate.pass('stderr', encode('warning: file.txt')))).toBe('warning: ');
    expect(decode(gate.pass('stdout', encode('xoxb-1234567890-abcdef\n')))).toBe('');
    expect(decode(gate.pass('stderr', encode(' missing\n')))).toBe('');
    const report = gate.report();
    expect(report.verdict).toBe('quarantine');
    expect(report.quarantined).toEqual({ stdout: 'xoxb-1234567890-abcdef\n', stderr: 'file.txt missing\n' });
  });

  it(`holds at most ${HOLD_LIMIT} characters per stream, then scans and releases them`, () => {
    const run = 'a'.repeat(HOLD_LIMIT + 10);
    const r = feed(bytewise(run));
    expect(Math.max(...r.perWrite.map((w) => w.length))).toBe(HOLD_LIMIT + 1);
    expect(r.released).toBe(run);
    // A match that is already whole within the held text is found, even if it goes on past it.
    const token = `ghp_${'x'.repeat(HOLD_LIMIT * 2)}`;
    const long = feed([`token ${token.slice(0, 100)}`, token.slice(100)]);
    expect(long.released).toBe('token ');
    expect(long.report.verdict).toBe('block');
    // One that is not yet whole is released in part; what follows the cut is still redacted.
    const local = 'a'.repeat(HOLD_LIMIT + 5);
    expect(feed(['mail ', local, '@example.com', '\n']).perWrite).toEqual(['mail ', local, '', '[REDACTED:pii]\n']);
  });
});
