/**
 * kavach's externalization gate, applied to output as it streams out of the worker, seeing every
 * match whole before any of it leaves, and reaching kavach's verdict, count and message for the
 * whole output (gate/index.ts has the rules and their sources in kavach).
 *
 * Holdback. Per stream, the gate holds back the text from the earliest position where a match of
 * one of its patterns could still begin: text that is the beginning of a possible match (e.g.
 * "AKIA12", "ada@exa", `password = "hun`), or a whole match that more text could lengthen (a
 * GitHub token or an email address at the very end of a write) or whose closing `\b` waits for
 * the next character (an SSN). Which positions those are is worked out by an automaton built from
 * each pattern (gate/open-matches.ts). Everything before that position is scanned and released
 * in the same write call, warn-level matches redacted; a match that crosses the position holds
 * back from its own start, so no match is ever released in part. Held text is released when a
 * later write rules the match out (an ordinary line ends in "\n", which ends every possible
 * secret match but three), and by the final pass: at the end of the run (output.close()), or as
 * soon as the output cap (max_output_bytes) is reached, since nothing more can come.
 *
 * Bounds. How long text can stay held for a pattern follows from it: for the secret patterns at
 * most 19 characters for an AWS access key, 38 for a GCP key, 34 for a private-key header, 11 for
 * an SSN, 90 for an AWS secret key (the automaton's maxLength, less one, tested); the other nine
 * have no longest match. Six of those end at a line break (GitHub, Stripe, Slack, JWT, database
 * URL, email), so a newline releases them; bearer (`\s+`), generic API key (`\s*`) and password
 * (`\s*`, `[^'"]`) can run on across lines. kavach 1.0's further scanners, when the policy turns
 * them on: a code-scanner group holds at most its longest substring less one (18 characters,
 * "bash -i >& /dev/tcp"); a Visa or Mastercard number 15, an Amex number 14, a phone number 16
 * (its separators may be line breaks), an IPv4 address 14, an IBAN 32 (tested); the four
 * compliance phrases and the entropy fallback's tokens have no longest match (the phrases run on
 * across lines through `\s+`; a token ends at any character outside base64's). Whatever the pattern, a stream holds at most HOLD_LIMIT characters: past
 * that, the held text is scanned as if the output ended there and released. So a match longer
 * than HOLD_LIMIT characters may be released in part: one already whole within the held text (a
 * very long GitHub token, database URL) is still found and withheld or redacted, but one that
 * needs a closing quote or a later part beyond the limit (a password or generic API key value, a
 * JWT with a first part longer than that) is not found, and a high-entropy token longer than that
 * is judged in parts.
 *
 * Counting as kavach does. kavach reports, per scanned output, the first match of each pattern
 * and (1.0's fallback) every high-entropy token when no secret pattern matched; it withholds the
 * whole output when the worst of those reaches a threshold, worst being "info" when there are
 * none. stdout and stderr are scanned separately, as 0.22 scans each output on its own (1.0
 * joins them with a newline): a key split between the two streams is not joined. Scanning goes
 * on after the gate has withheld, so the count and the worst severity cover the whole output.
 * The size check counts every byte of both streams, before any scan, as kavach does.
 *
 * Withholding. A finding at the quarantine or block threshold stops both streams: the text
 * before that finding (before the group of overlapping findings it belongs to) is released,
 * nothing from there on. Quarantined output is kept, redacted of registered secrets, for the
 * user to reveal on purpose; blocked output is discarded, and a later finding at the block
 * threshold turns a quarantine into a block. A threshold of info withholds from the first byte,
 * as kavach blocks (or quarantines) even clean output then. A run whose worker is killed (a busy
 * guest past its deadline) never makes the final pass: what was held then is lost, not released.
 */
import {
  DEFAULT_EXTERNALIZATION, SECRET_PATTERNS, determineVerdict, findAll, gateOffNote, gatePatterns, kavachFindings, redactable, sizeMessage,
  utf8Length, withheldMessage, worstOf, type Finding, type Verdict,
} from '../gate/index.ts';
import { OpenMatches, automatonFor } from '../gate/open-matches.ts';
import type { GatePattern } from '../gate/patterns.ts';
import type { ExternalizationPolicy } from '../policy/schema.ts';

type Stream = 'stdout' | 'stderr';

/** Most characters one stream holds back; past it, held text is scanned and released. */
export const HOLD_LIMIT = 4096;
/**
 * Characters of released text scanned again with the held text: a few decide a leading `\b`;
 * the rest lets an email cut by HOLD_LIMIT be recognised when its domain follows.
 */
const CONTEXT_CHARS = 64;

// Built when the worker boots, so that a prewarmed worker has them before its run starts.
for (const p of SECRET_PATTERNS) automatonFor(p);

export interface StreamFinding extends Finding {
  stream: Stream;
}

export interface GateReport {
  verdict: Verdict;
  /** kavach's findings, stdout's then stderr's: the first match of each pattern, and high-entropy tokens. */
  findings: StreamFinding[];
  /** Every match the gate found, including the repeats kavach does not count. */
  matches: number;
  /** Where withholding began and what became of the output, or null when it was released. */
  reason: string | null;
  /** kavach's error for withheld output, as it prints ("externalization blocked: ..."), or null. */
  error: string | null;
  notes: string[];
  /** Output held back by a quarantine, for the user to reveal on purpose. */
  quarantined: { stdout: string; stderr: string } | null;
}

/** One stream's position: the released text's tail, the text not yet released, what it found. */
class StreamState {
  readonly decoder = new TextDecoder();
  readonly open: OpenMatches[];
  context = '';
  held = '';
  /** Stream offset (UTF-16) of held[0]: everything before it has been decided. */
  heldFrom = 0;
  /** Every match decided, in order (kavach's findings are computed from them at the end). */
  readonly matches: StreamFinding[] = [];

  constructor(patterns: readonly GatePattern[]) {
    this.open = patterns.map((p) => new OpenMatches(p));
  }

  /** Where held text must start now: the earliest open match, relative to `held`. */
  holdFrom(): number {
    let earliest = Infinity;
    for (const o of this.open) earliest = Math.min(earliest, o.earliestOpen());
    return Math.max(0, Math.min(this.held.length, earliest - this.heldFrom));
  }
}

export class StreamGate {
  private readonly policy: ExternalizationPolicy | null;
  private readonly patterns: readonly GatePattern[];
  private state: 'open' | 'quarantine' | 'block' = 'open';
  private readonly streams: Record<Stream, StreamState>;
  private readonly quarantine = { stdout: '', stderr: '' };
  /** UTF-8 bytes of output seen, both streams. */
  private size = 0;
  private tooLarge = false;
  private trigger: StreamFinding | null = null;

  /**
   * `policy`: the config's externalization block; null is kavach's "no gate".
   * `quarantineLimit`: most characters (both streams) a quarantine keeps for the user.
   */
  constructor(policy: ExternalizationPolicy | null, private readonly quarantineLimit: number) {
    this.policy = policy;
    this.patterns = policy !== null && policy.enabled ? gatePatterns(policy) : [];
    this.streams = { stdout: new StreamState(this.patterns), stderr: new StreamState(this.patterns) };
    // With nothing found kavach's worst severity is info: a threshold of info withholds everything.
    if (this.enabled) {
      const verdict = determineVerdict('info', this.settings);
      if (verdict === 'block' || verdict === 'quarantine') this.state = verdict;
    }
  }

  get enabled(): boolean {
    return this.policy !== null && this.policy.enabled;
  }

  private get settings(): ExternalizationPolicy {
    return this.policy ?? DEFAULT_EXTERNALIZATION;
  }

  /** What may leave now (possibly redacted, possibly nothing). `final`: the stream has ended. */
  pass(stream: Stream, bytes: Uint8Array, final = false): Uint8Array {
    if (!this.enabled) return bytes;
    const p = this.settings;
    const s = this.streams[stream];
    const text = s.decoder.decode(bytes, { stream: !final });
    this.size += utf8Length(text);
    if (this.size > p.max_artifact_size_bytes && !this.tooLarge) {
      // kavach checks the size before it scans: over the limit, the output is blocked, unscanned.
      this.tooLarge = true;
      this.state = 'block';
      this.quarantine.stdout = this.quarantine.stderr = '';
      this.streams.stdout.held = this.streams.stderr.held = '';
    }
    if (this.tooLarge) return new Uint8Array(0);

    for (const o of s.open) o.feed(text);
    s.held += text;
    let cut = s.holdFrom();
    const whole = final || s.held.length - cut > HOLD_LIMIT;
    if (whole) cut = s.held.length;
    if (cut === 0) return new Uint8Array(0);

    const window = s.context + s.held;
    const base = s.heldFrom - s.context.length;
    const fresh = findAll(window, this.patterns).filter((f) => f.end > s.context.length);
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
    for (const f of decided) s.matches.push({ ...f, start: f.start + base, end: f.end + base, stream });

    let out = '';
    if (this.state === 'open') {
      const stop = this.withholdingStop(decided, end);
      const redacting = decided.filter(redactable);
      out = p.redact_secrets ? redactFrom(window, s.context.length, stop, redacting) : window.slice(s.context.length, stop);
      if (stop < end) {
        const trigger = decided.find((f) => f.start >= stop && this.withholds(f)) ?? null;
        this.trigger = trigger === null ? null : { ...trigger, start: trigger.start + base, end: trigger.end + base, stream };
        this.state = this.blocks(decided.filter((f) => f.end > stop)) ? 'block' : 'quarantine';
        this.keep(stream, window.slice(stop, end));
      }
    } else {
      if (this.state === 'quarantine' && this.blocks(decided)) {
        const first = decided.find((f) => this.blocks([f]));
        if (this.trigger === null && first !== undefined) this.trigger = { ...first, start: first.start + base, end: first.end + base, stream };
        this.state = 'block';
        this.quarantine.stdout = this.quarantine.stderr = '';
      }
      this.keep(stream, window.slice(s.context.length, end));
    }
    s.context = window.slice(Math.max(0, end - CONTEXT_CHARS), end);
    s.held = window.slice(end);
    s.heldFrom = base + end;
    return out === '' ? new Uint8Array(0) : new TextEncoder().encode(out);
  }

  report(): GateReport {
    if (!this.enabled) return { verdict: 'pass', findings: [], matches: 0, reason: null, error: null, quarantined: null, notes: [gateOffNote(this.policy)] };
    const p = this.settings;
    const findings = (['stdout', 'stderr'] as const).flatMap((stream) => kavachFindings(this.streams[stream].matches));
    const matches = this.streams.stdout.matches.length + this.streams.stderr.matches.length;
    if (this.tooLarge) {
      return { verdict: 'block', findings, matches, quarantined: null, notes: [], error: sizeMessage(this.size, p.max_artifact_size_bytes),
        reason: `output passed ${p.max_artifact_size_bytes} bytes, the externalization limit (max_artifact_size_bytes); what had left stayed out, the rest was withheld` };
    }
    const worst = worstOf(findings) ?? 'info';
    const verdict = determineVerdict(worst, p);
    const notes = matches > findings.length ? [`${matches} matches in all: kavach counts the first of each pattern in each stream`] : [];
    if (verdict === 'block' || verdict === 'quarantine') {
      return { verdict, findings, matches, reason: this.where(verdict), error: withheldMessage(verdict, findings.length, worst),
        quarantined: verdict === 'quarantine' ? { ...this.quarantine } : null, notes };
    }
    if (verdict === 'warn' && !p.redact_secrets) notes.unshift('redact_secrets is false: matches released unredacted');
    return { verdict, findings, matches, reason: null, error: null, quarantined: null, notes };
  }

  /** Where withholding began, and what became of the output from there on. */
  private where(verdict: 'quarantine' | 'block'): string {
    const what = verdict === 'block' ? 'blocked' : 'quarantined';
    const after = verdict === 'block' ? 'output from there on was discarded' : 'output from there on is held for you to reveal';
    const t = this.trigger;
    if (t === null) {
      const threshold = verdict === 'block' ? 'block_threshold' : 'quarantine_threshold';
      return `output ${what} from the start: ${threshold} is info, and kavach withholds even clean output then (its worst severity is info when nothing is found)`;
    }
    return `output ${what} at ${t.stream} character ${t.start} (${t.pattern}, "${t.evidence}"); ${after}`;
  }

  private withholds(f: Finding): boolean {
    const v = determineVerdict(f.severity, this.settings);
    return v === 'block' || v === 'quarantine';
  }

  private blocks(findings: readonly Finding[]): boolean {
    return determineVerdict(worstOf(findings) ?? 'info', this.settings) === 'block';
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
        withhold ||= this.withholds(findings[j]);
      }
      if (withhold) return findings[i].start;
      i = j;
    }
    return end;
  }

  private keep(stream: Stream, text: string): void {
    if (this.state !== 'quarantine') return; // blocked output is discarded
    const room = this.quarantineLimit - this.quarantine.stdout.length - this.quarantine.stderr.length;
    if (room > 0) this.quarantine[stream] += text.slice(0, room);
  }
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
