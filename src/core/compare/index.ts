/**
 * Comparing two runs of one module under two policies: what differs between the policies, and
 * the two audit logs aligned call by call, so a rule's effect shows as the rows it changes.
 */
import type { AuditEvent } from '../audit/events.ts';
import { formatPath } from '../policy/load.ts';
import type { SandboxConfig } from '../policy/schema.ts';

export interface PolicyChange {
  /** JSON path, e.g. "policy.landlock_rules[0].access". */
  path: string;
  /** The value on each side; undefined where that side does not have it. */
  a: unknown;
  b: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields that differ between two validated policies (defaults filled in, so leaving a field
 * out and spelling out its default are the same), deepest first-differing path each.
 */
export function policyDiff(a: SandboxConfig, b: SandboxConfig): PolicyChange[] {
  const out: PolicyChange[] = [];
  const walk = (x: unknown, y: unknown, path: (string | number)[]) => {
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) walk(x[i], y[i], [...path, i]);
    } else if (isObject(x) && isObject(y)) {
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[key], y[key], [...path, key]);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push({ path: formatPath(path), a: x, b: y });
    }
  };
  walk(a, b, []);
  return out;
}

export type AlignedRow =
  | { kind: 'same' | 'changed'; a: AuditEvent; b: AuditEvent }
  | { kind: 'only_a'; a: AuditEvent; b: null }
  | { kind: 'only_b'; a: null; b: AuditEvent };

/** What makes two entries "the same call": the function and its non-numeric arguments (fds, paths, flags). */
function callKey(e: AuditEvent): string {
  if (e.kind === 'lifecycle') return `lifecycle:${e.event}`;
  const named = Object.entries(e.args).filter(([, v]) => typeof v !== 'number').map(([k, v]) => `${k}=${String(v)}`);
  return `${e.fn}(${named.join(',')})`;
}

/** Whether a call that happened on both sides went the same way. */
function sameResult(a: AuditEvent, b: AuditEvent): boolean {
  if (a.kind === 'lifecycle' && b.kind === 'lifecycle') return a.detail === b.detail;
  if (a.kind === 'call' && b.kind === 'call') {
    return a.errno === b.errno && a.denial?.rule === b.denial?.rule && JSON.stringify(a.args) === JSON.stringify(b.args);
  }
  return false;
}

/**
 * The two logs aligned by call (a shortest edit script on the calls' keys), each row one call
 * seen on both sides (same or changed) or on one side only. Logs too different to align within
 * `maxEdits` insertions and deletions are paired in order instead.
 */
export function alignAudit(a: readonly AuditEvent[], b: readonly AuditEvent[], maxEdits = 2000): AlignedRow[] {
  const pairs = alignSequences(a.map(callKey), b.map(callKey), maxEdits);
  return pairs.map(([i, j]): AlignedRow => {
    if (i !== null && j !== null) return { kind: sameResult(a[i], b[j]) ? 'same' : 'changed', a: a[i], b: b[j] };
    if (i !== null) return { kind: 'only_a', a: a[i], b: null };
    return { kind: 'only_b', a: null, b: b[j!] };
  });
}

/**
 * Myers' O((N+M)D) diff: index pairs [i, j] for matched items, [i, null] for items only in `a`,
 * [null, j] for items only in `b`, in order. Past `maxEdits` edits, items are paired by position
 * (matched keys or not), so an unrelated pair of logs still lines up quickly.
 */
export function alignSequences(a: readonly string[], b: readonly string[], maxEdits: number): [number | null, number | null][] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d-1 .. d+1] as it was when round d began.
  const trace: Int32Array[] = [];
  let edits = -1;
  search: for (let d = 0; d <= Math.min(max, maxEdits); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        edits = d;
        break search;
      }
    }
  }
  if (edits < 0) return Array.from({ length: Math.max(n, m) }, (_, i) => [i < n ? i : null, i < m ? i : null]);

  const pairs: [number | null, number | null][] = [];
  let x = n;
  let y = m;
  for (let d = edits; d >= 0; d--) {
    const round = trace[d];
    const at = (k: number) => round[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      pairs.push([--x, --y]);
    }
    if (d > 0) pairs.push(x === prevX ? [null, y - 1] : [x - 1, null]);
    x = prevX;
    y = prevY;
  }
  return pairs.reverse();
}
