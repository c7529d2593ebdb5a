/**
 * kavach's externalization gate: scans what a run wants to release, and passes it, redacts it
 * (warn), or withholds it (quarantine, block). Unlike kavach, the playground actually puts the
 * guest's captured output through it.
 */
import type { ExternalizationPolicy } from '../policy/schema.ts';
import { SEVERITIES, type Severity } from '../policy/severity.ts';
import { SECRET_PATTERNS, findMatches, type Category, type SecretPattern } from './patterns.ts';

export { SECRET_PATTERNS, findMatches, type Category, type PatternMatch, type SecretPattern } from './patterns.ts';

export type Verdict = 'pass' | 'warn' | 'quarantine' | 'block';

export interface Finding {
  /** The pattern's id, e.g. "github_token". */
  pattern: string;
  category: Category;
  severity: Severity;
  /** UTF-16 offsets into the scanned text, end exclusive. */
  start: number;
  end: number;
  /** Enough to recognise the match without repeating it: its first 4 characters and "…". */
  evidence: string;
}

interface GateCommon {
  findings: Finding[];
  /** Highest severity among the findings, or null when there are none (or nothing was scanned). */
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
      reason: null;
    })
  | (GateCommon & {
      verdict: 'quarantine' | 'block';
      withheld: true;
      redacted: null;
      /** Why the output is withheld, for the user. */
      reason: string;
    });

/** kavach's defaults: enabled, 50 MiB, block at critical, quarantine at high, redact on. */
/**
 * The schema's defaults for the `externalization` block (a test holds the two equal), written out
 * so that the worker, which scans output, does not load the schema.
 */
export const DEFAULT_EXTERNALIZATION: ExternalizationPolicy = {
  enabled: true,
  max_artifact_size_bytes: 50 * 1024 * 1024,
  block_threshold: 'critical',
  quarantine_threshold: 'high',
  redact_secrets: true,
};

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Scan `text` under `policy` (null = kavach's defaults). */
export function scanOutput(text: string, policy: ExternalizationPolicy | null): GateResult {
  const p = policy ?? DEFAULT_EXTERNALIZATION;
  if (!p.enabled) {
    return {
      verdict: 'pass', withheld: false, redacted: text, reason: null, findings: [], worst: null,
      notes: ['externalization gate disabled by policy (externalization.enabled = false): output released unscanned'],
    };
  }
  const size = new TextEncoder().encode(text).length;
  if (size > p.max_artifact_size_bytes) {
    return {
      verdict: 'block', withheld: true, redacted: null, findings: [], worst: null, notes: [],
      reason: `output is ${size} bytes, over the externalization limit of ${p.max_artifact_size_bytes} bytes (max_artifact_size_bytes); not scanned`,
    };
  }

  const findings = findSecrets(text);
  const worst = findings.reduce<Severity | null>(
    (w, f) => (w === null || severityRank(f.severity) > severityRank(w) ? f.severity : w), null);
  if (worst !== null && severityRank(worst) >= severityRank(p.block_threshold)) {
    return { verdict: 'block', withheld: true, redacted: null, findings, worst, notes: [], reason: withholdReason('blocked', findings, worst, 'block_threshold', p.block_threshold) };
  }
  if (worst !== null && severityRank(worst) >= severityRank(p.quarantine_threshold)) {
    return { verdict: 'quarantine', withheld: true, redacted: null, findings, worst, notes: [], reason: withholdReason('quarantined', findings, worst, 'quarantine_threshold', p.quarantine_threshold) };
  }
  if (worst !== null && severityRank(worst) > severityRank('info')) {
    const notes = p.redact_secrets ? [] : ['redact_secrets is false: matches released unredacted'];
    return { verdict: 'warn', withheld: false, redacted: p.redact_secrets ? redactFindings(text, findings) : text, reason: null, findings, worst, notes };
  }
  return { verdict: 'pass', withheld: false, redacted: text, reason: null, findings, worst, notes: [] };
}

/** Every match of every pattern, sorted by start, longer first. */
export function findSecrets(text: string, patterns: readonly SecretPattern[] = SECRET_PATTERNS): Finding[] {
  const findings: Finding[] = [];
  for (const pattern of patterns) {
    for (const { start, end } of findMatches(pattern, text)) {
      findings.push({
        pattern: pattern.name, category: pattern.category, severity: pattern.severity, start, end,
        evidence: `${text.slice(start, start + 4)}…`,
      });
    }
  }
  return findings.sort((a, b) => a.start - b.start || b.end - a.end);
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

function withholdReason(what: string, findings: readonly Finding[], worst: Severity, threshold: string, value: Severity): string {
  const worstPatterns = [...new Set(findings.filter((f) => f.severity === worst).map((f) => f.pattern))];
  return `output ${what}: ${findings.length} finding(s), worst ${worst} (${worstPatterns.join(', ')}) reaches ${threshold} ${value}`;
}
