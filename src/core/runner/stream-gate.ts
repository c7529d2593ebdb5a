/**
 * kavach's externalization gate, applied to output as it streams out of the worker. Each chunk is
 * scanned together with the tail of what went before (so a match split across two writes is
 * found); warn-level matches are redacted before the chunk leaves; a match at the quarantine or
 * block threshold stops the stream: from that chunk on nothing more is released. Quarantined
 * output is kept (redacted of registered secrets) for the user to reveal on purpose; blocked
 * output is discarded.
 */
import { DEFAULT_EXTERNALIZATION, findSecrets, severityRank, type Finding, type Verdict } from '../gate/index.ts';
import type { ExternalizationPolicy, Severity } from '../policy/schema.ts';

type Stream = 'stdout' | 'stderr';

/** Characters of already-released text rescanned with each new chunk. */
const CONTEXT_CHARS = 512;

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

export class StreamGate {
  private readonly policy: ExternalizationPolicy;
  private state: 'open' | 'quarantine' | 'block' = 'open';
  private readonly context: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly offset: Record<Stream, number> = { stdout: 0, stderr: 0 };
  private readonly held = { stdout: '', stderr: '' };
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private readonly findings: StreamFinding[] = [];
  private released = 0;
  private tooLarge = false;
  private trigger: StreamFinding | null = null;

  constructor(policy: ExternalizationPolicy | null, private readonly holdLimit: number) {
    this.policy = policy ?? DEFAULT_EXTERNALIZATION;
  }

  get enabled(): boolean {
    return this.policy.enabled;
  }

  /** What of `bytes` may leave now (possibly redacted, possibly nothing). */
  pass(stream: Stream, bytes: Uint8Array, final = false): Uint8Array {
    if (!this.policy.enabled) return bytes;
    const text = this.decoders[stream].decode(bytes, { stream: !final });
    if (text === '') return new Uint8Array(0);
    if (this.state !== 'open') {
      this.hold(stream, text);
      return new Uint8Array(0);
    }
    const context = this.context[stream];
    const window = context + text;
    const fresh = findSecrets(window).filter((f) => f.end > context.length);
    const base = this.offset[stream] - context.length;
    for (const f of fresh) this.findings.push({ ...f, start: f.start + base, end: f.end + base, stream });
    this.offset[stream] += text.length;
    this.context[stream] = window.slice(-CONTEXT_CHARS);
    const worst = worstOf(fresh);
    if (worst !== null && severityRank(worst) >= severityRank(this.policy.quarantine_threshold)) {
      this.state = severityRank(worst) >= severityRank(this.policy.block_threshold) ? 'block' : 'quarantine';
      this.trigger = this.findings.find((f) => f.severity === worst && f.end > base + context.length) ?? null;
      this.hold(stream, text);
      return new Uint8Array(0);
    }
    let out = text;
    if (fresh.length > 0 && this.policy.redact_secrets) out = redactNew(text, context.length, fresh);
    const encoded = new TextEncoder().encode(out);
    this.released += encoded.length;
    if (this.released > this.policy.max_artifact_size_bytes) {
      this.tooLarge = true;
      this.state = 'block';
      return new Uint8Array(0);
    }
    return encoded;
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
      return { verdict: 'quarantine', findings: this.findings, quarantined: { ...this.held }, notes: [],
        reason: `output quarantined${at}: ${count}, worst ${worst} reaches quarantine_threshold ${p.quarantine_threshold}; output from there on is held for you to reveal` };
    }
    if (worst !== null && severityRank(worst) > severityRank('info')) {
      return { verdict: 'warn', findings: this.findings, reason: null, quarantined: null,
        notes: p.redact_secrets ? [] : ['redact_secrets is false: matches released unredacted'] };
    }
    return { verdict: 'pass', findings: this.findings, reason: null, quarantined: null, notes: [] };
  }

  private hold(stream: Stream, text: string): void {
    if (this.state !== 'quarantine') return; // blocked output is discarded
    const room = this.holdLimit - this.held.stdout.length - this.held.stderr.length;
    if (room > 0) this.held[stream] += text.slice(0, room);
  }
}

function worstOf(findings: readonly Finding[]): Severity | null {
  return findings.reduce<Severity | null>((w, f) => (w === null || severityRank(f.severity) > severityRank(w) ? f.severity : w), null);
}

/** Redact, in the new text, every part of a finding that falls in it (kavach's overlap rule). */
function redactNew(text: string, contextLength: number, findings: readonly Finding[]): string {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const f of sorted) {
    const start = Math.max(0, f.start - contextLength);
    const end = f.end - contextLength;
    if (start < pos) continue;
    out += text.slice(pos, start) + `[REDACTED:${f.category}]`;
    pos = end;
  }
  return out + text.slice(pos);
}
