/**
 * kavach's secret patterns for the externalization gate, translated from Rust regex syntax to
 * JavaScript. The note (kavach-semantics.md) lists 14 patterns; kavach's documentation speaks of
 * 17, but only the 14 listed are reproduced here: none is invented.
 *
 * Translation notes: `(?i)` becomes the `i` flag. Rust's `\d`, `\s` and `\b` are Unicode-aware
 * and JavaScript's `\d` and `\b` are ASCII-only, so a non-ASCII digit never counts as an SSN
 * digit here (kavach would count it). Rust's regex engine runs in linear time; V8's backtracks,
 * and two patterns (JWT, email) go quadratic on adversarial output (a guest can print 100 KB of
 * "eyJ" and stall a plain `matchAll` for seconds). Those two have a linear scanner that yields
 * exactly the matches `matchAll` would (a differential test checks it).
 */
import type { Severity } from '../policy/schema.ts';

export type Category =
  | 'cloud_credential'
  | 'api_token'
  | 'api_key'
  | 'auth_token'
  | 'private_key'
  | 'credential'
  | 'connection_string'
  | 'pii';

export interface SecretPattern {
  /** Stable id, e.g. "aws_access_key". */
  name: string;
  /** What it finds, for people. */
  label: string;
  category: Category;
  severity: Severity;
  /** The pattern as kavach writes it (Rust regex syntax). */
  source: string;
  /** The JavaScript translation, global (and case-insensitive where kavach says `(?i)`). */
  regex: RegExp;
}

export interface PatternMatch {
  start: number;
  end: number;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    name: 'aws_access_key', label: 'AWS access key', category: 'cloud_credential', severity: 'critical',
    source: 'AKIA[0-9A-Z]{16}', regex: /AKIA[0-9A-Z]{16}/g,
  },
  {
    name: 'aws_secret_key', label: 'AWS secret key', category: 'cloud_credential', severity: 'critical',
    source: `(?i)aws.{0,20}secret.{0,20}['"][0-9a-zA-Z/+]{40}['"]`,
    regex: /aws.{0,20}secret.{0,20}['"][0-9a-zA-Z/+]{40}['"]/gi,
  },
  {
    name: 'gcp_api_key', label: 'GCP API key', category: 'cloud_credential', severity: 'high',
    source: 'AIza[0-9A-Za-z\\-_]{35}', regex: /AIza[0-9A-Za-z\-_]{35}/g,
  },
  {
    name: 'github_token', label: 'GitHub token', category: 'api_token', severity: 'critical',
    source: 'gh[ps]_[A-Za-z0-9_]{36,}', regex: /gh[ps]_[A-Za-z0-9_]{36,}/g,
  },
  {
    name: 'stripe_key', label: 'Stripe key', category: 'api_token', severity: 'critical',
    source: 'sk_(live|test)_[0-9a-zA-Z]{24,}', regex: /sk_(live|test)_[0-9a-zA-Z]{24,}/g,
  },
  {
    name: 'slack_token', label: 'Slack token', category: 'api_token', severity: 'high',
    source: 'xox[bpas]-[0-9a-zA-Z\\-]{10,}', regex: /xox[bpas]-[0-9a-zA-Z\-]{10,}/g,
  },
  {
    name: 'generic_api_key', label: 'generic API key', category: 'api_key', severity: 'medium',
    source: `(?i)(api[_-]?key|apikey)\\s*[:=]\\s*['"][a-zA-Z0-9]{20,}['"]`,
    regex: /(api[_-]?key|apikey)\s*[:=]\s*['"][a-zA-Z0-9]{20,}['"]/gi,
  },
  {
    name: 'bearer_token', label: 'bearer token', category: 'auth_token', severity: 'high',
    source: '(?i)bearer\\s+[a-zA-Z0-9\\-._~+/]{20,}', regex: /bearer\s+[a-zA-Z0-9\-._~+/]{20,}/gi,
  },
  {
    name: 'jwt', label: 'JSON Web Token', category: 'auth_token', severity: 'high',
    source: 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
    regex: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  },
  {
    name: 'private_key', label: 'private key', category: 'private_key', severity: 'critical',
    source: '-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----', regex: /-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----/g,
  },
  {
    name: 'password_assignment', label: 'password assignment', category: 'credential', severity: 'high',
    source: `(?i)(password|passwd|pwd)\\s*[:=]\\s*['"][^'"]{8,}['"]`,
    regex: /(password|passwd|pwd)\s*[:=]\s*['"][^'"]{8,}['"]/gi,
  },
  {
    name: 'database_url', label: 'database URL', category: 'connection_string', severity: 'critical',
    source: '(?i)(postgres|mysql|mongodb|redis)://[^\\s]{10,}', regex: /(postgres|mysql|mongodb|redis):\/\/[^\s]{10,}/gi,
  },
  {
    name: 'email', label: 'email address', category: 'pii', severity: 'low',
    source: '[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}', regex: /[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}/g,
  },
  {
    name: 'ssn', label: 'US social security number', category: 'pii', severity: 'critical',
    source: '\\b\\d{3}-\\d{2}-\\d{4}\\b', regex: /\b\d{3}-\d{2}-\d{4}\b/g,
  },
];

/** Every non-overlapping match of `pattern` in `text`, leftmost first, as `matchAll` finds them. */
export function findMatches(pattern: SecretPattern, text: string): PatternMatch[] {
  const linear = LINEAR_SCANNERS[pattern.name];
  if (linear) return linear(text);
  return Array.from(text.matchAll(pattern.regex), (m) => ({ start: m.index, end: m.index + m[0].length }));
}

type Scanner = (text: string) => PatternMatch[];

/**
 * A scanner that tries `sticky` only where `candidate` says a match can start, and after a failed
 * try resumes where `candidate` says the next possible start is.
 */
function anchoredScanner(sticky: RegExp, candidate: (text: string, from: number) => { start: number; resumeAfterFail: number } | null): Scanner {
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

const LINEAR_SCANNERS: Record<string, Scanner> = {
  // A JWT's first segment runs to the first character outside [A-Za-z0-9_-] (never "."), so a
  // later "eyJ" in the same run meets the same "." and the same rest, with fewer characters
  // before it: if the first fails, they all do.
  jwt: anchoredScanner(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/y, (text, from) => {
    const start = text.indexOf('eyJ', from);
    if (start < 0) return null;
    let end = start + 3;
    while (end < text.length && JWT_SEGMENT_CHAR.test(text[end])) end++;
    return { start, resumeAfterFail: end };
  }),
  // An email's local part never contains "@", so every match ends its local part at an "@" and
  // starts where the run of local-part characters before that "@" starts; later starts in the
  // same run reach the same "@" and the same domain, so they fail when the first does.
  email: anchoredScanner(/[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}/y, (text, from) => {
    const at = text.indexOf('@', from);
    if (at < 0) return null;
    let start = at;
    while (start > from && EMAIL_LOCAL_CHAR.test(text[start - 1])) start--;
    return { start, resumeAfterFail: at + 1 };
  }),
};
