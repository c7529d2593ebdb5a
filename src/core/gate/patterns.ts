/**
 * kavach's scanners for the externalization gate, as tables: the secrets scanner's 17 patterns
 * (0.22.3 and 1.0.1 alike, src/scanning/secrets.rs) and its entropy fallback, and 1.0.1's data
 * scanner (src/scanning/data.rs) and code scanner (src/scanning/code.rs). Each pattern keeps
 * kavach's own regex; rust-regex.ts translates it to a JavaScript regex with Rust's meaning.
 *
 * Rust's regex engine runs in linear time; V8's backtracks, and two patterns (JWT, email) go
 * quadratic on adversarial output (a guest can print 100 KB of "eyJ" and stall a plain
 * `matchAll` for seconds). Those two have a linear scanner that yields exactly the matches
 * `matchAll` would (a differential test checks it).
 */
import type { Severity } from '../policy/severity.ts';
import { rustRegex } from './rust-regex.ts';
import { TRANSLATIONS } from './translations.ts';

/** kavach's `ScanFinding.scanner`: which scanner a pattern belongs to. */
export type ScannerName = 'secrets' | 'code' | 'data';

export interface GatePattern {
  /** Stable id, e.g. "aws_access_key". */
  name: string;
  /** kavach's name for it; its finding's message is "<label> detected". */
  label: string;
  scanner: ScannerName;
  category: string;
  severity: Severity;
  /** The pattern as kavach writes it (Rust regex syntax); for a code group, its substrings as one. */
  source: string;
  /** The JavaScript translation, global. */
  regex: RegExp;
}

export interface PatternMatch {
  start: number;
  end: number;
}

type Row = [name: string, label: string, category: string, severity: Severity, source: string];

const table = (scanner: ScannerName, rows: readonly Row[]): GatePattern[] =>
  rows.map(([name, label, category, severity, source]) => translated({ name, label, scanner, category, severity, source }));

/**
 * A pattern whose JavaScript regex is made on first use: translating all of them (the secrets,
 * data and code scanners) when this module loads took ~30 ms of every worker's start, and most
 * runs use only the 17 secret patterns, or none.
 */
function translated(pattern: Omit<GatePattern, 'regex'>): GatePattern {
  let regex: RegExp | undefined;
  return {
    ...pattern,
    get regex() {
      // Built-in patterns come translated ahead of time (translations.ts, checked by its test).
      const ready = TRANSLATIONS.get(pattern.source);
      regex ??= ready === undefined ? rustRegex(pattern.source) : new RegExp(ready[0], ready[1]);
      return regex;
    },
  };
}

/** The Rust sources of every built-in pattern, for translations.ts. */
export function builtInSources(): string[] {
  return [...SECRET_PATTERNS, ENTROPY_PATTERN, ...DATA_PATTERNS, ...CODE_PATTERNS].map((p) => p.source);
}

/** secrets.rs:18-121 (the same 17 in 0.22.3 and 1.0.1), in kavach's order. */
export const SECRET_PATTERNS: readonly GatePattern[] = table('secrets', [
  ['aws_access_key', 'AWS Access Key', 'cloud_credential', 'critical', 'AKIA[0-9A-Z]{16}'],
  ['aws_secret_key', 'AWS Secret Key', 'cloud_credential', 'critical', `(?i)aws.{0,20}secret.{0,20}['"][0-9a-zA-Z/+]{40}['"]`],
  ['gcp_api_key', 'GCP API Key', 'cloud_credential', 'high', 'AIza[0-9A-Za-z\\-_]{35}'],
  ['github_token', 'GitHub Token', 'api_token', 'critical', 'gh[ps]_[A-Za-z0-9_]{36,}'],
  ['stripe_key', 'Stripe Secret Key', 'api_token', 'critical', 'sk_(live|test)_[0-9a-zA-Z]{24,}'],
  ['slack_token', 'Slack Token', 'api_token', 'high', 'xox[bpas]-[0-9a-zA-Z\\-]{10,}'],
  ['generic_api_key', 'Generic API Key', 'api_key', 'medium', `(?i)(api[_-]?key|apikey)\\s*[:=]\\s*['"][a-zA-Z0-9]{20,}['"]`],
  ['bearer_token', 'Bearer Token', 'auth_token', 'high', '(?i)bearer\\s+[a-zA-Z0-9\\-._~+/]{20,}'],
  ['jwt', 'JWT', 'auth_token', 'high', 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}'],
  ['rsa_private_key', 'RSA Private Key', 'private_key', 'critical', '-----BEGIN RSA PRIVATE KEY-----'],
  ['ec_private_key', 'EC Private Key', 'private_key', 'critical', '-----BEGIN EC PRIVATE KEY-----'],
  ['openssh_private_key', 'OpenSSH Private Key', 'private_key', 'critical', '-----BEGIN OPENSSH PRIVATE KEY-----'],
  ['private_key', 'Generic Private Key', 'private_key', 'critical', '-----BEGIN PRIVATE KEY-----'],
  ['password_assignment', 'Password Assignment', 'credential', 'high', `(?i)(password|passwd|pwd)\\s*[:=]\\s*['"][^'"]{8,}['"]`],
  ['database_url', 'Database Connection String', 'connection_string', 'critical', '(?i)(postgres|mysql|mongodb|redis)://[^\\s]{10,}'],
  ['email', 'Email Address', 'pii', 'low', '[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}'],
  ['ssn', 'SSN', 'pii', 'critical', '\\b\\d{3}-\\d{2}-\\d{4}\\b'],
]);

/**
 * 1.0.1's entropy fallback (secrets.rs 1.0.1:192-195, 245-298): when none of the 17 patterns
 * matched the scanned text, every token of 20+ of these characters whose Shannon entropy (over
 * its bytes) is above 4.5 bits is a low finding. Its matches are never redacted (redact() uses
 * the 17 patterns only).
 */
export const ENTROPY_PATTERN: GatePattern = table('secrets', [
  ['high_entropy', 'high-entropy string', 'high_entropy', 'low', '[A-Za-z0-9+/=_\\-]{20,}'],
])[0];
export const ENTROPY_THRESHOLD = 4.5;

/** 1.0.1's data scanner, data.rs:19-82: one finding per pattern; never redacted. */
export const DATA_PATTERNS: readonly GatePattern[] = table('data', [
  ['credit_card_visa', 'Credit Card (Visa)', 'pii_financial', 'critical', '\\b4[0-9]{12}(?:[0-9]{3})?\\b'],
  ['credit_card_mastercard', 'Credit Card (Mastercard)', 'pii_financial', 'critical', '\\b5[1-5][0-9]{14}\\b'],
  ['credit_card_amex', 'Credit Card (Amex)', 'pii_financial', 'critical', '\\b3[47][0-9]{13}\\b'],
  ['us_phone', 'US Phone Number', 'pii', 'medium', '\\b(?:\\+?1[-.\\s]?)?\\(?[0-9]{3}\\)?[-.\\s]?[0-9]{3}[-.\\s]?[0-9]{4}\\b'],
  ['ipv4', 'IP Address (IPv4)', 'pii_network', 'low', '\\b(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\b'],
  ['iban', 'IBAN', 'pii_financial', 'high', '\\b[A-Z]{2}[0-9]{2}[A-Z0-9]{4}[0-9]{7}(?:[A-Z0-9]{0,18})?\\b'],
  ['hipaa', 'HIPAA identifier', 'compliance_hipaa', 'high',
    '(?i)\\b(?:patient\\s+(?:id|name|record|dob|ssn|mrn)|medical\\s+record\\s+number|health\\s+insurance\\s+claim|protected\\s+health\\s+information|PHI\\b)'],
  ['gdpr', 'GDPR personal data', 'compliance_gdpr', 'medium',
    '(?i)\\b(?:data\\s+subject|right\\s+to\\s+erasure|right\\s+to\\s+be\\s+forgotten|consent\\s+withdraw|data\\s+processing\\s+agreement|data\\s+controller|data\\s+processor)\\b'],
  ['pci_dss', 'PCI-DSS cardholder data', 'compliance_pci', 'high',
    '(?i)\\b(?:cardholder\\s+data|card\\s+verification|CVV|CVC|primary\\s+account\\s+number|PAN\\s+data|track\\s+data|magnetic\\s+stripe)\\b'],
  ['soc2', 'SOC2 audit artifact', 'compliance_soc2', 'medium',
    '(?i)\\b(?:SOC\\s*2|trust\\s+service\\s+criteria|system\\s+description|complementary\\s+user\\s+entity\\s+controls|CUEC)\\b'],
]);

/** One of 1.0.1's code-scanner groups, with its substrings exactly as kavach lists them. */
export interface CodeGroup {
  name: string;
  label: string;
  category: string;
  severity: Severity;
  substrings: readonly string[];
}

/** code.rs:19-214, in kavach's order. */
export const CODE_GROUPS: readonly CodeGroup[] = ([
  ['shell_exec', 'Shell exec', 'command_injection', 'critical', ['exec(', 'execSync(', 'child_process']],
  ['process_spawn', 'Process spawn', 'command_injection', 'critical', ['spawn(', 'spawnSync(']],
  ['eval', 'Eval execution', 'command_injection', 'critical', ['eval(', 'Function(']],
  ['shell_invocation', 'Shell invocation', 'command_injection', 'high', ['/bin/sh', '/bin/bash', '/bin/zsh', 'cmd.exe', 'powershell']],
  ['shell_metacharacters', 'Shell metacharacters', 'command_injection', 'high', ['$(', '${', '| sh', '| bash', '; sh', '; bash', '` ', '/dev/tcp']],
  ['pipe_to_shell', 'Pipe to shell', 'command_injection', 'critical', ['curl | sh', 'curl | bash', 'wget | sh', 'wget | bash']],
  ['http_request', 'HTTP request', 'data_exfiltration', 'medium', ['fetch(', 'axios.', 'http.request(', 'https.request(']],
  ['dns_exfil', 'DNS exfil', 'data_exfiltration', 'high', ['dns.resolve', 'dns.lookup', 'nslookup', 'dig ']],
  ['reverse_shell', 'Reverse shell', 'data_exfiltration', 'critical', ['mkfifo', '/dev/tcp/', 'nc -e', 'ncat -e', 'socat exec:', 'bash -i >& /dev/tcp']],
  ['network_tools', 'Network tools', 'data_exfiltration', 'high', ['nc ', 'ncat ', 'socat ', 'telnet ', 'nmap ']],
  ['sudo', 'Sudo/su', 'privilege_escalation', 'critical', ['sudo ', 'su -', 'su root']],
  ['permission_change', 'Permission change', 'privilege_escalation', 'high', ['chmod ', 'chown ', 'chgrp ', 'setuid', 'setgid']],
  ['kernel_module', 'Kernel module', 'privilege_escalation', 'critical', ['insmod ', 'modprobe ', 'rmmod ']],
  ['mount', 'Mount operation', 'privilege_escalation', 'critical', ['mount ', 'umount ', 'mount(']],
  ['capability', 'Capability manipulation', 'privilege_escalation', 'critical', ['setcap ', 'getcap ', 'capsh ']],
  ['package_install', 'Package install', 'supply_chain', 'high',
    ['npm install', 'pip install', 'gem install', 'cargo install', 'go install', 'apt install', 'apt-get install', 'yum install', 'dnf install', 'pacman -S']],
  ['remote_script', 'Remote script execution', 'supply_chain', 'critical', ['curl | sh', 'curl | bash', 'wget -O - |', 'curl -sSL |']],
  ['dynamic_import', 'Dynamic require/import', 'supply_chain', 'medium', ['require(', 'import(', '__import__(']],
  ['base64_decode', 'Base64 decode', 'obfuscation', 'medium', ['atob(', 'base64 -d', 'base64 --decode', 'b64decode']],
  ['unicode_escape', 'Unicode escape', 'obfuscation', 'medium', ['\\u00', '\\x00', 'String.fromCharCode']],
  ['hex_encoding', 'Hex encoding', 'obfuscation', 'low', ['\\x', 'fromhex(', 'hex.decode']],
  ['sensitive_path', 'Sensitive path access', 'filesystem_abuse', 'critical',
    ['/etc/shadow', '/etc/passwd', '/etc/sudoers', '/.ssh/', '/.gnupg/', '/.aws/', '/.kube/', '/dev/mem', '/dev/kmem', '/proc/kcore']],
  ['path_traversal', 'Path traversal', 'filesystem_abuse', 'high', ['../', '..\\']],
  ['destructive', 'Destructive operation', 'filesystem_abuse', 'critical', ['rm -rf', 'dd if=', 'mkfs.', 'shred ']],
  ['weak_hash', 'Weak hash', 'crypto_misuse', 'medium', ['md5(', 'MD5(', 'sha1(', 'SHA1(']],
  ['hardcoded_key', 'Hardcoded key', 'crypto_misuse', 'high', ['AES_KEY =', 'ENCRYPTION_KEY =', 'SECRET_KEY =']],
] as const).map(([name, label, category, severity, substrings]) => ({ name, label, category, severity, substrings }));

/**
 * The substrings of a group that can ever match: kavach lowercases the text and searches for the
 * substring as written (code.rs:234, 240), so one with a capital letter ("execSync(", "MD5(",
 * every "Hardcoded key" entry) never matches.
 */
export function liveSubstrings(group: CodeGroup): string[] {
  return group.substrings.filter((s) => s === s.toLowerCase());
}

/**
 * A live substring as a Rust regex matching where the lowercased text contains it: a letter
 * matches itself or its capital, and "k" also the Kelvin sign, whose lowercase is "k". (No other
 * character lowercases to ASCII except "İ", to "i" + U+0307, which can only end a match, and no
 * substring ends in "i": a test holds both facts.)
 */
function lowercasedSubstring(s: string): string {
  let out = '';
  for (const c of s) {
    if (c === 'k') out += '[kK\u212A]';
    else if (/[a-z]/.test(c)) out += `[${c}${c.toUpperCase()}]`;
    else out += /[.()+\\$|{}*?[\]^]/.test(c) ? `\\${c}` : c;
  }
  return out;
}

/**
 * The code groups that can match, each as one pattern whose first match is the earliest place
 * where any of its live substrings occurs (kavach makes one finding per group, code.rs:249).
 */
export const CODE_PATTERNS: readonly GatePattern[] = CODE_GROUPS.filter((g) => liveSubstrings(g).length > 0).map((g) => {
  const source = liveSubstrings(g).map(lowercasedSubstring).join('|');
  return translated({ name: g.name, label: g.label, scanner: 'code', category: g.category, severity: g.severity, source });
});

/** Every non-overlapping match of `pattern` in `text`, leftmost first, as `matchAll` finds them. */
export function findMatches(pattern: GatePattern, text: string): PatternMatch[] {
  let scanner = SCANNERS.get(pattern);
  if (scanner === undefined) {
    scanner = scannerFor(pattern);
    SCANNERS.set(pattern, scanner);
  }
  return scanner(text);
}

type Scanner = (text: string) => PatternMatch[];
const SCANNERS = new WeakMap<GatePattern, Scanner>();

/**
 * A scanner that tries `sticky` only where `candidate` says a match can start, and after a failed
 * try resumes where `candidate` says the next possible start is.
 */
function anchoredScanner(pattern: GatePattern, candidate: (text: string, from: number) => { start: number; resumeAfterFail: number } | null): Scanner {
  const sticky = new RegExp(pattern.regex.source, pattern.regex.flags.replace('g', '') + 'y');
  return (text) => {
    const out: PatternMatch[] = [];
    for (let from = 0, next = candidate(text, from); next !== null; next = candidate(text, from)) {
      sticky.lastIndex = next.start;
      const m = sticky.exec(text);
      if (m) out.push({ start: next.start, end: next.start + m[0].length });
      from = m ? next.start + m[0].length : next.resumeAfterFail;
    }
    return out;
  };
}

const JWT_SEGMENT_CHAR = /[A-Za-z0-9_-]/;
const EMAIL_LOCAL_CHAR = /[a-zA-Z0-9._%+-]/;

function scannerFor(pattern: GatePattern): Scanner {
  // A JWT's first segment runs to the first character outside [A-Za-z0-9_-] (never "."), so a
  // later "eyJ" in the same run meets the same "." and the same rest, with fewer characters
  // before it: if the first fails, they all do.
  if (pattern.scanner === 'secrets' && pattern.name === 'jwt') {
    return anchoredScanner(pattern, (text, from) => {
      const start = text.indexOf('eyJ', from);
      if (start < 0) return null;
      let end = start + 3;
      while (end < text.length && JWT_SEGMENT_CHAR.test(text[end])) end++;
      return { start, resumeAfterFail: end };
    });
  }
  // An email's local part never contains "@", so every match ends its local part at an "@" and
  // starts where the run of local-part characters before that "@" starts; later starts in the
  // same run reach the same "@" and the same domain, so they fail when the first does.
  if (pattern.scanner === 'secrets' && pattern.name === 'email') {
    return anchoredScanner(pattern, (text, from) => {
      const at = text.indexOf('@', from);
      if (at < 0) return null;
      let start = at;
      while (start > from && EMAIL_LOCAL_CHAR.test(text[start - 1])) start--;
      return { start, resumeAfterFail: at + 1 };
    });
  }
  return (text) => Array.from(text.matchAll(pattern.regex), (m) => ({ start: m.index, end: m.index + m[0].length }));
}

/**
 * Shannon entropy of `token` in bits per byte, summed over byte values in ascending order as
 * kavach does (secrets.rs 1.0.1:281-298). Tokens are ASCII, so bytes are characters.
 */
export function shannonEntropy(token: string): number {
  if (token.length === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < token.length; i++) counts[token.charCodeAt(i) & 0xff]++;
  let sum = 0;
  for (let b = 0; b < 256; b++) {
    if (counts[b] === 0) continue;
    const p = counts[b] / token.length;
    sum += -p * Math.log2(p);
  }
  return sum;
}
