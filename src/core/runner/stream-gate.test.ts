import { describe, expect, it } from 'vitest';
import { determineVerdict, findAll, gatePatterns, redactFindings, redactable, scanOutput, type Finding } from '../gate/index.ts';
import { externalizationSchema, type ExternalizationPolicy } from '../policy/schema.ts';
import { seededRandom } from '../../testing/share/random-setup.ts';
import { SECRET_SAMPLES } from '../../testing/secret-samples.ts';
import { HOLD_LIMIT, StreamGate } from './stream-gate.ts';

const DEFAULTS = externalizationSchema.parse({});
const ALL_SCANNERS = externalizationSchema.parse({ extra_scanners: ['code', 'data', 'entropy'] });
const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
type Stream = 'stdout' | 'stderr';

/** What each write released, then the end of the run. */
function feed(pieces: readonly string[], policy: ExternalizationPolicy | null = DEFAULTS, stream: Stream = 'stdout') {
  const gate = new StreamGate(policy, 1 << 20);
  const perWrite = pieces.map((p) => decode(gate.pass(stream, encode(p))));
  const atEnd = decode(gate.pass('stdout', new Uint8Array(0), true)) + decode(gate.pass('stderr', new Uint8Array(0), true));
  return { perWrite, atEnd, released: perWrite.join('') + atEnd, report: gate.report() };
}

const bytewise = (text: string) => Array.from(encode(text), (b) => decode(Uint8Array.of(b)));

/**
 * The gate's promise, stated on the whole output: everything before the first finding that
 * withholds (more exactly, before the group of overlapping findings it belongs to) is released,
 * with warn-level findings of the patterns kavach redacts redacted by its rule; nothing from
 * there on. However the output was cut into writes.
 */
function wholeOutput(text: string, policy: ExternalizationPolicy = DEFAULTS): string {
  if (determineVerdict('info', policy) !== 'pass') return '';
  const findings = findAll(text, gatePatterns(policy));
  const withholds = (f: Finding) => ['block', 'quarantine'].includes(determineVerdict(f.severity, policy));
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
  const before = findings.filter((f) => f.end <= stop && redactable(f));
  return policy.redact_secrets ? redactFindings(text.slice(0, stop), before) : text.slice(0, stop);
}

describe('the output gate sees a match whole before releasing any of it', () => {
  it("blocks an AWS key written as 19 + 1 characters before any of it leaves, with kavach's message", () => {
    const r = feed(['key AKIAIOSFODNN7EXAMPL', 'E\nmore\n']);
    expect(r.perWrite).toEqual(['key ', '']);
    expect(r.released).toBe('key ');
    expect(r.report.verdict).toBe('block');
    expect(r.report.error).toBe('externalization blocked: blocked: 1 finding(s), worst severity: critical');
    expect(r.report.reason).toBe('output blocked at stdout character 4 (aws_access_key, "AKIA…"); output from there on was discarded');
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

  it.each([['the secret patterns', DEFAULTS], ["kavach 1.0's scanners too", ALL_SCANNERS]] as const)('with %s, matches random outputs cut into random writes, byte for byte, and reaches kavach\'s verdict and message on the whole', (_what, policy) => {
    const random = seededRandom(1313);
    let withFindings = 0;
    const pieces = [
      ...SECRET_SAMPLES.map((s) => s[1]), 'hello world', ' ', '\n', '\n', 'x', '"', "'", ':', '=', 'password', 'Bearer ', 'aws',
      'secret', 'eyJ', 'ada@', 'example', '.org', '123-45-', '6789', 'AKIA', 'ghp_', 'postgres://', '    ', 'é', '🦀', '%', '-----BEGIN ',
      'ſ', '\r', '١٢٣-', '٤٥-٦٧٨٩', '𝟏', '\u0085', 'sudo ', 'rm -rf', '../', '4111111111111111', 'PHI', '10.0.0.1', 'Zx9Qm2Lp7Vr4Tn8Kw3Hy6Bd1Fg5Jc0A',
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
      const gate = new StreamGate(policy, 1 << 20);
      let released = '';
      for (const w of writes) released += decode(gate.pass('stdout', Uint8Array.from(w, (c) => c.charCodeAt(0))));
      released += decode(gate.pass('stdout', new Uint8Array(0), true));
      expect(released, JSON.stringify(text)).toBe(wholeOutput(text, policy));
      const whole = scanOutput(text, policy);
      const report = gate.report();
      expect([report.verdict, report.error, report.findings.length], JSON.stringify(text)).toEqual([whole.verdict, whole.error, whole.findings.length]);
      if (wholeOutput(text, policy) !== text) withFindings++;
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

describe("the streaming gate reaches kavach's count, verdict and message for the whole output", () => {
  const gateOf = (policy: ExternalizationPolicy | null = DEFAULTS) => new StreamGate(policy, 1 << 20);
  const run = (gate: StreamGate, writes: [Stream, string][]) => {
    let released = '';
    for (const [stream, text] of writes) released += decode(gate.pass(stream, encode(text)));
    released += decode(gate.pass('stdout', new Uint8Array(0), true)) + decode(gate.pass('stderr', new Uint8Array(0), true));
    return { released, report: gate.report() };
  };

  it('counts the first match of each pattern per stream, as 0.22 scans stdout and stderr each on its own (gate.rs:40-42)', () => {
    const { report } = run(gateOf(), [['stdout', 'a@example.com b@example.com\n'], ['stderr', 'c@example.com\n'], ['stdout', 'd@example.com\n']]);
    expect(report).toMatchObject({ verdict: 'warn', matches: 4 });
    expect(report.findings.map((f) => [f.stream, f.start])).toEqual([['stdout', 0], ['stderr', 0]]);
    expect(report.notes).toEqual(['4 matches in all: kavach counts the first of each pattern in each stream']);
  });

  it('goes on scanning after withholding, so the count and the worst severity cover the whole output', () => {
    const { released, report } = run(gateOf(), [['stdout', 'ok\nAKIAIOSFODNN7EXAMPLE\n'], ['stdout', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789\nAKIAIOSFODNN7EXAMPLF\n']]);
    expect(released).toBe('ok\n');
    expect(report.error).toBe('externalization blocked: blocked: 2 finding(s), worst severity: critical');
  });

  it('turns a quarantine into a block when a later finding reaches the block threshold, and keeps nothing to reveal', () => {
    const { released, report } = run(gateOf(), [['stdout', 'slack xoxb-1234567890-abcdef\n'], ['stderr', 'then AKIAIOSFODNN7EXAMPLE\n']]);
    expect(released).toBe('slack ');
    expect(report).toMatchObject({ verdict: 'block', quarantined: null, error: 'externalization blocked: blocked: 2 finding(s), worst severity: critical' });
  });

  it('blocks from the first byte when the block threshold is info: kavach blocks even clean output then (gate.rs:44-48, 86-89)', () => {
    const { released, report } = run(gateOf(externalizationSchema.parse({ block_threshold: 'info' })), [['stdout', 'hello\n']]);
    expect(released).toBe('');
    expect(report.error).toBe('externalization blocked: blocked: 0 finding(s), worst severity: info');
    expect(report.reason).toMatch(/^output blocked from the start: block_threshold is info/);
    const quarantined = run(gateOf(externalizationSchema.parse({ quarantine_threshold: 'info' })), [['stdout', 'hello\n'], ['stderr', 'oops\n']]);
    expect(quarantined.released).toBe('');
    expect(quarantined.report).toMatchObject({ verdict: 'quarantine', quarantined: { stdout: 'hello\n', stderr: 'oops\n' } });
  });

  it('blocks at a block threshold below the quarantine threshold (gate.rs:87 checks block first)', () => {
    const { released, report } = run(gateOf(externalizationSchema.parse({ block_threshold: 'medium', quarantine_threshold: 'high' })), [['stdout', 'x api_key="abcdefghijklmnopqrstuvwxyz"\n']]);
    expect(released).toBe('x ');
    expect(report.verdict).toBe('block');
  });

  it('counts every byte of both streams against max_artifact_size_bytes, with kavach\'s message (gate.rs:30-37)', () => {
    const { released, report } = run(gateOf(externalizationSchema.parse({ max_artifact_size_bytes: 10 })), [['stdout', 'hello\n'], ['stderr', 'wörld\n'], ['stdout', 'more\n']]);
    expect(released).toBe('hello\n');
    expect(report).toMatchObject({ verdict: 'block', error: 'externalization blocked: output size 18 exceeds limit 10' });
  });

  it('runs no gate when externalization is null, as kavach, and says so', () => {
    const { released, report } = run(gateOf(null), [['stdout', 'AKIAIOSFODNN7EXAMPLE\n']]);
    expect(released).toBe('AKIAIOSFODNN7EXAMPLE\n');
    expect(report).toMatchObject({ verdict: 'pass', findings: [], reason: null, error: null, notes: ['off (externalization is null, which kavach reads as no gate): output released unscanned'] });
  });

  it("holds back a Unicode SSN written a byte at a time (Rust's \\d)", () => {
    const gate = gateOf();
    let released = '';
    for (const b of encode('id ١٢٣-٤٥-٦٧٨٩\n')) released += decode(gate.pass('stdout', Uint8Array.of(b)));
    expect(released + decode(gate.pass('stdout', new Uint8Array(0), true))).toBe('id ');
    expect(gate.report().verdict).toBe('block');
  });

  it("holds back kavach 1.0's code and data findings too, when the policy turns them on", () => {
    expect(feed(['ok\nsudo r', 'm -rf /\n'], ALL_SCANNERS)).toMatchObject({ perWrite: ['ok\n', ''], released: 'ok\n' });
    expect(feed(['ok\nsudo r', 'm -rf /\n']).released).toBe('ok\nsudo rm -rf /\n');
    const card = feed(['card 41111111', '11111111\n'], ALL_SCANNERS);
    expect(card.released).toBe('card ');
    expect(card.report.findings.map((f) => [f.scanner, f.pattern])).toEqual([['data', 'credit_card_visa']]);
    // An entropy finding is low: it warns and is left as it is (kavach does not redact it).
    const token = 'Zx9Qm2Lp7Vr4Tn8Kw3Hy6Bd1Fg5Jc0A';
    expect(feed([`t ${token.slice(0, 9)}`, `${token.slice(9)}\n`], ALL_SCANNERS)).toMatchObject({ released: `t ${token}\n`, report: { verdict: 'warn' } });
  });
});
