/** Filtering and exporting the audit log. */
import type { AuditEvent, CallEvent } from '../core/index.ts';

export interface AuditFilter {
  /** A WASI function name, "lifecycle", or "" for all. */
  fn: string;
  deniedOnly: boolean;
  /** Matched against the decoded arguments (paths show there), case-insensitively. */
  text: string;
}

export const NO_FILTER: AuditFilter = { fn: '', deniedOnly: false, text: '' };

export function argsText(event: CallEvent): string {
  return Object.entries(event.args).map(([k, v]) => `${k}=${String(v)}`).join(' ');
}

export function filterAudit(events: readonly AuditEvent[], filter: AuditFilter): readonly AuditEvent[] {
  if (filter.fn === '' && !filter.deniedOnly && filter.text === '') return events;
  const text = filter.text.toLowerCase();
  return events.filter((e) => {
    if (e.kind === 'lifecycle') return !filter.deniedOnly && text === '' && (filter.fn === '' || filter.fn === 'lifecycle');
    if (filter.fn !== '' && e.fn !== filter.fn) return false;
    if (filter.deniedOnly && !e.denial) return false;
    if (text !== '' && !argsText(e).toLowerCase().includes(text) && !(e.denial?.reason.toLowerCase().includes(text) ?? false)) return false;
    return true;
  });
}

/** The functions that occur, for the filter menu, in first-seen order. */
export function functionsIn(events: readonly AuditEvent[]): string[] {
  const seen = new Set<string>();
  for (const e of events) if (e.kind === 'call') seen.add(e.fn);
  return [...seen].sort();
}

/** One JSON object per line. */
export function toJsonl(events: readonly AuditEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + (events.length > 0 ? '\n' : '');
}
