/**
 * kavach's externalization gate, applied to output as it streams out of the worker, seeing every
 * match whole before any of it leaves.
 *
 * Holdback. Per stream, the gate holds back the text from the earliest position where a match of
 * one of the 14 patterns could still begin: text that is the beginning of a possible match (e.g.
 * "AKIA12", "ada@exa", `password = "hun`), or a whole match that more text could lengthen (a
 * GitHub token or an email address at the very end of a write) or whose closing `\b` waits for
 * the next character (an SSN). Which positions those are is worked out by an automaton built from
 * each pattern's regex (gate/open-matches.ts). Everything before that position is scanned and
 * released in the same write call, warn-level matches redacted; a match that crosses the position
 * holds back from its own start, so no match is ever released in part. Held text is released when
 * a later write rules the match out (an ordinary line ends in "\n", which ends every possible
 * match but three), and by the final pass: at the end of the run (output.close()), or as soon as
 * the output cap (max_output_bytes) is reached, since nothing more can come.
 *
 * Bounds. How long text can stay held for a pattern follows from it: at most 19 characters for an
 * AWS access key, 38 for a GCP key, 34 for a private-key header, 11 for an SSN, 90 for an AWS
 * secret key (the automaton's maxLength, less one, tested); the other nine have no longest match. Six of those end at a line break (GitHub, Stripe,
 * Slack, JWT, database URL, email), so a newline releases them; bearer (`\s+`), generic API key
 * (`\s*`) and password (`\s*`, `[^'"]`) can run on across lines. Whatever the pattern, a stream
 * holds at most HOLD_LIMIT characters: past that, the held text is scanned as if the output ended
 * there and released. So a match longer than HOLD_LIMIT characters may be released in part: one
 * already whole within the held text (a very long GitHub token, database URL) is still found and
 * withheld or redacted, but one that needs a closing quote or a later part beyond the limit (a
 * password or generic API key value, a JWT with a first part longer than that) is not found.
 *
 * stdout and stderr are scanned separately, as kavach scans each output on its own: a key split
 * between the two streams is not joined. A finding at the quarantine or block threshold stops
 * both: the text before that finding (before the group of overlapping findings it belongs to) is
 * released, nothing from there on. Quarantined output (from the finding on, and what the other
 * stream held) is kept, redacted of registered secrets, for the user to reveal on purpose; blocked
 * output is discarded. A run whose worker is killed (a busy guest past its deadline) never makes
 * the final pass: what was held then is lost, not released.
 */
import { DEFAULT_EXTERNALIZATION, SECRET_PATTERNS, findSecrets, severityRank, type Finding, type Verdict } from '../gate/index.ts';
import { OpenMatches, automatonFor } from '../gate/open-matches.ts';
import type { ExternalizationPolicy, Severity } from '../policy/schema.ts';

type Stream = 'stdout' | 'stderr';

/** Most characters one stream holds back; past it, held text is scanned and released. */
export const HOLD_LIMIT = 4096;
/**
 * Characters of released text scanned again with the held text: one decides an SSN's leading
 * `\b`; the rest lets an email cut by HOLD_LIMIT be recognised when its domain follows.
 */
const CONTEXT_CHARS = 64;

// Built when the worker boots, so that a prewarmed worker has them before its run starts.
for (const p of SECRET_PATTERNS) automatonFor(p);

export interface StreamFinding extends Finding {
  stream: Stream;
}

export interface GateReport {
  verdict: Verdict;
  findings: StreamFinding[];
  /** Why output was withheld, or null when it was released. */
  reason: string | null;
  notes: string[];
  /** Output held back by a quarantine, for the user to reveal on purpose. */
  quarantined: { stdout: string; stderr: string } | null;
}

/** One stream's position: the released text's tail, and the text not yet released. */
class StreamState {
  readonly decoder = new TextDecoder();
  readonly open = SECRET_PATTERNS.map((p) => new OpenMatches(p));
  context = '';
  held = '';
  /** Stream offset (UTF-16) of held[0]: everything before it has been released. */
  heldFrom = 0;

  /** Where held text must start now: the earliest open match, relative to `held`. */
  holdFrom(): number {
    let earliest = Infinity;
    for (const o of this.open) earliest = Math.min(earliest, o.earliestOpen());
    return Math.max(0, Math.min(this.held.length, earliest - this.heldFrom));
  }
}

export class StreamGate {
  private readonly policy: ExternalizationPolicy;
  private state: 'open' | 'quarantine' | 'block' = 'open';
  private readonly streams = { stdout: new StreamState(), stderr: new StreamState() };
  private readonly quarantine = { stdout: '', stderr: '' };
  private readonly findings: StreamFinding[] = [];
  private released = 0;
  private tooLarge = false;
  private trigger: StreamFinding | null = null;

  /** `quarantineLimit`: most characters (both streams) a quarantine keeps for the user. */
  constructor(policy: ExternalizationPolicy | null, private readonly quarantineLimit: number) {
    this.policy = policy ?? DEFAULT_EXTERNALIZATION;
  }

  get enabled(): boolean {
    return this.policy.enabled;
  }

  /** What may leave now (possibly redacted, possibly nothing). `final`: the stream has ended. */
  pass(stream: Stream, bytes: Uint8Array, final = false): Uint8Array {
    if (!this.policy.enabled) return bytes;
    const s = this.streams[stream];
    const text = s.decoder.decode(bytes, { stream: !final });
    if (this.state !== 'open') {
      this.keep(stream, text);
      return new Uint8Array(0);
    }
    for (const o of s.open) o.feed(text);
    s.held += text;
    let cut = s.holdFrom();
    const whole = final || s.held.length - cut > HOLD_LIMIT;
    if (whole) cut = s.held.length;
    if (cut === 0) return new Uint8Array(0);

    const window = s.context + s.held;
    const base = s.heldFrom - s.context.length;
    const fresh = findSecrets(window).filter((f) => f.end > s.context.length);
    // A match that runs past the cut is held with it, from its start.
    let end = s.context.length + cut;
    for (let moved = !whole; moved;) {
      moved = false;
      for (const f of fresh) {
        if (f.start < end && f.end > end) {
          end = Math.max(s.context.length, f.start);
          moved = true;
        }
      }
    }
    if (end === s.context.length) return new Uint8Array(0);
    const decided = fresh.filter((f) => f.start < end);
    for (const f of decided) this.findings.push({ ...f, start: f.start + base, end: f.end + base, stream });

    const stop = this.withholdingStop(decided, end);
    const out = this.policy.redact_secrets ? redactFrom(window, s.context.length, stop, decided) : window.slice(s.context.length, stop);
    if (stop < end) {
      const trigger = decided.find((f) => f.start >= stop && this.withholds(f.severity)) ?? null;
      this.trigger = trigger === null ? null : { ...trigger, start: trigger.start + base, end: trigger.end + base, stream };
      this.state = severityRank(worstOf(decided.filter((f) => f.end > stop)) ?? 'info') >= severityRank(this.policy.block_threshold) ? 'block' : 'quarantine';
      const rest = window.slice(stop);
      for (const other of ['stdout', 'stderr'] as const) {
        const held = this.streams[other].held;
        this.streams[other].held = '';
        this.keep(other, other === stream ? rest : held);
      }
    } else {
      s.context = window.slice(Math.max(0, end - CONTEXT_CHARS), end);
      s.held = window.slice(end);
      s.heldFrom = base + end;
    }
    return this.release(out);
  }

  report(): GateReport {
    const p = this.policy;
    if (!p.enabled) {
      return { verdict: 'pass', findings: [], reason: null, quarantined: null, notes: ['externalization gate disabled by policy (externalization.enabled = false): output released unscanned'] };
    }
    const worst = worstOf(this.findings);
    const count = `${this.findings.length} finding(s)`;
    if (this.tooLarge) {
      return { verdict: 'block', findings: this.findings, quarantined: null, notes: [],
        reason: `output passed ${p.max_artifact_size_bytes} bytes, the externalization limit (max_artifact_size_bytes); the rest was withheld` };
    }
    if (this.state !== 'open' && worst !== null) {
      const t = this.trigger;
      const at = t === null ? '' : ` at ${t.stream} character ${t.start} (${t.pattern}, "${t.evidence}")`;
      if (this.state === 'block') {
        return { verdict: 'block', findings: this.findings, quarantined: null, notes: [],
          reason: `output blocked${at}: ${count}, worst ${worst} reaches block_threshold ${p.block_threshold}; output from there on was discarded` };
      }
      return { verdict: 'quarantine', findings: this.findings, quarantined: { ...this.quarantine }, notes: [],
        reason: `output quarantined${at}: ${count}, worst ${worst} reaches quarantine_threshold ${p.quarantine_threshold}; output from there on is held for you to reveal` };
    }
    if (worst !== null && severityRank(worst) > severityRank('info')) {
      return { verdict: 'warn', findings: this.findings, reason: null, quarantined: null,
        notes: p.redact_secrets ? [] : ['redact_secrets is false: matches released unredacted'] };
    }
    return { verdict: 'pass', findings: this.findings, reason: null, quarantined: null, notes: [] };
  }

  private withholds(severity: Severity): boolean {
    return severityRank(severity) >= severityRank(this.policy.quarantine_threshold);
  }

  /**
   * Where released text must stop: the start of the first group of overlapping findings that holds
   * a withholding one (findings are sorted by start), else `end`.
   */
  private withholdingStop(findings: readonly Finding[], end: number): number {
    for (let i = 0; i < findings.length;) {
      let groupEnd = findings[i].end;
      let withhold = false;
      let j = i;
      for (; j < findings.length && (j === i || findings[j].start < groupEnd); j++) {
        groupEnd = Math.max(groupEnd, findings[j].end);
        withhold ||= this.withholds(findings[j].severity);
      }
      if (withhold) return findings[i].start;
      i = j;
    }
    return end;
  }

  private release(text: string): Uint8Array {
    if (text === '') return new Uint8Array(0);
    const encoded = new TextEncoder().encode(text);
    this.released += encoded.length;
    if (this.released > this.policy.max_artifact_size_bytes) {
      this.tooLarge = true;
      this.state = 'block';
      return new Uint8Array(0);
    }
    return encoded;
  }

  private keep(stream: Stream, text: string): void {
    if (this.state !== 'quarantine') return; // blocked output is discarded
    const room = this.quarantineLimit - this.quarantine.stdout.length - this.quarantine.stderr.length;
    if (room > 0) this.quarantine[stream] += text.slice(0, room);
  }
}

function worstOf(findings: readonly Finding[]): Severity | null {
  return findings.reduce<Severity | null>((w, f) => (w === null || severityRank(f.severity) > severityRank(w) ? f.severity : w), null);
}

/**
 * window[from, to) with findings redacted by kavach's rule (by start, longer first; one that
 * overlaps a redacted one is skipped); a finding that began in the already-released part (only
 * after a HOLD_LIMIT release) has its remaining part redacted.
 */
function redactFrom(window: string, from: number, to: number, findings: readonly Finding[]): string {
  let out = '';
  let pos = from;
  for (const f of findings) {
    if (f.start >= to) break;
    const start = Math.max(from, f.start);
    if (start < pos) continue;
    out += window.slice(pos, start) + `[REDACTED:${f.category}]`;
    pos = f.end;
  }
  return out + window.slice(pos, to);
}
