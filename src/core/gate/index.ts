/**
 * kavach's externalization gate: scans what a run wants to release, and passes it, redacts it
 * (warn), or withholds it (quarantine, block), with kavach's verdicts, counts and messages
 * (src/scanning/gate.rs). Unlike kavach, the playground actually puts the guest's captured
 * output through it.
 */
import type { ExternalizationPolicy } from '../policy/schema.ts';
import { SEVERITIES, type Severity } from '../policy/severity.ts';
import {
  CODE_PATTERNS, DATA_PATTERNS, ENTROPY_PATTERN, ENTROPY_THRESHOLD, SECRET_PATTERNS, findMatches, shannonEntropy,
  type GatePattern, type ScannerName,
} from './patterns.ts';

export {
  CODE_GROUPS, CODE_PATTERNS, DATA_PATTERNS, ENTROPY_PATTERN, SECRET_PATTERNS, findMatches, liveSubstrings, shannonEntropy,
  type CodeGroup, type GatePattern, type PatternMatch, type ScannerName,
} from './patterns.ts';

export type Verdict = 'pass' | 'warn' | 'quarantine' | 'block';

export interface Finding {
  /** The pattern's id, e.g. "github_token". */
  pattern: string;
  scanner: ScannerName;
  category: string;
  severity: Severity;
  /** UTF-16 offsets into the scanned text, end exclusive. */
  start: number;
  end: number;
  /**
   * Enough to recognise the match without repeating it: its first 4 characters and "…". (kavach
   * keeps its first 20 bytes, which is all of an AWS access key; it never shows them, the
   * playground does.)
   */
  evidence: string;
}

interface GateCommon {
  /** kavach's findings: the first match of each pattern (and high-entropy tokens, see kavachFindings). */
  findings: Finding[];
  /** Every match found, each redacted on warn if its pattern is one kavach redacts. */
  matches: number;
  /** The worst severity found: "info" when nothing was (kavach's rule); null when nothing was scanned. */
  worst: Severity | null;
  /** Facts the user should know that are not a reason to withhold (gate off, redaction off). */
  notes: string[];
}

export type GateResult =
  | (GateCommon & {
      verdict: 'pass' | 'warn';
      withheld: false;
      /** What may leave the sandbox: the text, with matches redacted on warn. */
      redacted: string;
      error: null;
    })
  | (GateCommon & {
      verdict: 'quarantine' | 'block';
      withheld: true;
      redacted: null;
      /** kavach's error, as it prints: "externalization blocked: blocked: 1 finding(s), worst severity: critical". */
      error: string;
    });

/**
 * The schema's defaults for the `externalization` block (kavach's: enabled, 50 MiB, block at
 * critical, quarantine at high, redact on; no further scanners), written out so that the worker,
 * which scans output, does not load the schema. A test holds the two equal.
 */
export const DEFAULT_EXTERNALIZATION: ExternalizationPolicy = {
  enabled: true,
  max_artifact_size_bytes: 50 * 1024 * 1024,
  block_threshold: 'critical',
  quarantine_threshold: 'high',
  redact_secrets: true,
  extra_scanners: [],
};

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Why nothing was scanned, when the gate is off. */
export function gateOffNote(policy: ExternalizationPolicy | null): string {
  return policy === null
    ? 'off (externalization is null, which kavach reads as no gate): output released unscanned'
    : 'off, disabled by policy (externalization.enabled is false): output released unscanned';
}

const patternSets = new Map<string, readonly GatePattern[]>();

/** The patterns a gate runs: the secrets scanner's 17, then those of 1.0's further scanners the policy names. */
export function gatePatterns(policy: Pick<ExternalizationPolicy, 'extra_scanners'>): readonly GatePattern[] {
  const extra = policy.extra_scanners;
  const key = [...extra].sort().join(',');
  let set = patternSets.get(key);
  if (set === undefined) {
    set = [
      ...SECRET_PATTERNS,
      ...(extra.includes('entropy') ? [ENTROPY_PATTERN] : []),
      ...(extra.includes('code') ? CODE_PATTERNS : []),
      ...(extra.includes('data') ? DATA_PATTERNS : []),
    ];
    patternSets.set(key, set);
  }
  return set;
}

/**
 * Every match of `patterns` in `text`, sorted by start, longer first. A token of the entropy
 * pattern is a match only if its entropy is above the threshold.
 */
export function findAll(text: string, patterns: readonly GatePattern[] = SECRET_PATTERNS): Finding[] {
  const findings: Finding[] = [];
  for (const pattern of patterns) {
    for (const { start, end } of findMatches(pattern, text)) {
      if (pattern === ENTROPY_PATTERN && !(shannonEntropy(text.slice(start, end)) > ENTROPY_THRESHOLD)) continue;
      findings.push({
        pattern: pattern.name, scanner: pattern.scanner, category: pattern.category, severity: pattern.severity, start, end,
        evidence: `${firstChars(text.slice(start, end), 4)}…`,
      });
    }
  }
  return findings.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * kavach's findings for one scanned text, from every match in it: the first match of each
 * pattern (each scanner keeps only `find`'s leftmost match: secrets.rs:164, data.rs:127, and one
 * finding per code group, code.rs:249), and every high-entropy token, but only when none of the
 * 17 secret patterns matched (secrets.rs 1.0.1:192-195).
 */
export function kavachFindings<F extends Finding>(matches: readonly F[]): F[] {
  const first = new Map<string, F>();
  const entropy: F[] = [];
  for (const m of matches) {
    if (m.pattern === ENTROPY_PATTERN.name) entropy.push(m);
    else if (!first.has(m.pattern)) first.set(m.pattern, m);
  }
  const named = [...first.values()].some((f) => f.scanner === 'secrets');
  return [...first.values(), ...(named ? [] : entropy)].sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Whether kavach redacts a match on warn: only the 17 secret patterns' (secrets.rs:189-220; gate.rs 1.0.1:87-88). */
export function redactable(f: Finding): boolean {
  return f.scanner === 'secrets' && f.pattern !== ENTROPY_PATTERN.name;
}

/** gate.rs:86-96: block at or above the block threshold, else quarantine, else warn above info. */
export function determineVerdict(worst: Severity, policy: Pick<ExternalizationPolicy, 'block_threshold' | 'quarantine_threshold'>): Verdict {
  if (severityRank(worst) >= severityRank(policy.block_threshold)) return 'block';
  if (severityRank(worst) >= severityRank(policy.quarantine_threshold)) return 'quarantine';
  return severityRank(worst) > severityRank('info') ? 'warn' : 'pass';
}

/** The highest severity among `findings`, or null when there are none. */
export function worstOf(findings: readonly Pick<Finding, 'severity'>[]): Severity | null {
  return findings.reduce<Severity | null>((w, f) => (w === null || severityRank(f.severity) > severityRank(w) ? f.severity : w), null);
}

/** kavach's ExternalizationBlocked error as it prints (error.rs:32, gate.rs:57-66). */
export function withheldMessage(verdict: 'quarantine' | 'block', count: number, worst: Severity): string {
  return `externalization blocked: ${verdict === 'block' ? 'blocked' : 'quarantined'}: ${count} finding(s), worst severity: ${worst}`;
}

/** kavach's message for output over max_artifact_size_bytes (gate.rs:31-37), checked before any scan. */
export function sizeMessage(size: number, limit: number): string {
  return `externalization blocked: output size ${size} exceeds limit ${limit}`;
}

/** Bytes `text` takes in UTF-8 (a lone surrogate as U+FFFD, as TextEncoder writes it). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Scan `text` (kavach scans each output whole) under `policy`; null is kavach's "no gate". */
export function scanOutput(text: string, policy: ExternalizationPolicy | null): GateResult {
  if (policy === null || !policy.enabled) {
    return { verdict: 'pass', withheld: false, redacted: text, error: null, findings: [], matches: 0, worst: null, notes: [gateOffNote(policy)] };
  }
  const size = utf8Length(text);
  if (size > policy.max_artifact_size_bytes) {
    return {
      verdict: 'block', withheld: true, redacted: null, findings: [], matches: 0, worst: null, notes: ['not scanned: kavach checks the size first'],
      error: sizeMessage(size, policy.max_artifact_size_bytes),
    };
  }
  const matches = findAll(text, gatePatterns(policy));
  const findings = kavachFindings(matches);
  const worst = worstOf(findings) ?? 'info';
  const verdict = determineVerdict(worst, policy);
  const common = { findings, matches: matches.length, worst };
  if (verdict === 'block' || verdict === 'quarantine') {
    return { ...common, verdict, withheld: true, redacted: null, notes: [], error: withheldMessage(verdict, findings.length, worst) };
  }
  if (verdict === 'warn') {
    const notes = policy.redact_secrets ? [] : ['redact_secrets is false: matches released unredacted'];
    return { ...common, verdict, withheld: false, redacted: policy.redact_secrets ? redactFindings(text, matches.filter(redactable)) : text, error: null, notes };
  }
  return { ...common, verdict, withheld: false, redacted: text, error: null, notes: [] };
}

/** kavach's rule: by start, longer first; a match overlapping one already redacted is skipped. */
export function redactFindings(text: string, findings: readonly Finding[]): string {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const f of sorted) {
    if (f.start < pos) continue;
    out += text.slice(pos, f.start) + `[REDACTED:${f.category}]`;
    pos = f.end;
  }
  return out + text.slice(pos);
}

/** The first `n` characters (code points) of `text`. */
function firstChars(text: string, n: number): string {
  let end = 0;
  for (let i = 0; i < n && end < text.length; i++) end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  return text.slice(0, end);
}
