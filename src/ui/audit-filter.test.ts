import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../core/index.ts';
import { filterAudit, functionsIn, NO_FILTER, toJsonl } from './audit-filter.ts';

const events: AuditEvent[] = [
  { seq: 0, time: 0, kind: 'lifecycle', event: 'created' },
  { seq: 1, time: 1, kind: 'call', fn: 'path_open', args: { fd: '3 (/data)', path: 'input.txt' }, errno: 0, errnoName: 'SUCCESS' },
  {
    seq: 2, time: 2, kind: 'call', fn: 'path_unlink_file', args: { fd: '3 (/data)', path: 'keep/file.txt' }, errno: 69, errnoName: 'ROFS',
    denial: { rule: 'landlock_rules[0]', reason: 'delete /data/keep/file.txt denied: mount /data is read-only (policy rule 0)' },
  },
  { seq: 3, time: 3, kind: 'call', fn: 'fd_write', args: { fd: '1 (stdout)', bytes: 6 }, errno: 0, errnoName: 'SUCCESS' },
];

const seqs = (list: readonly AuditEvent[]) => list.map((e) => e.seq);

describe('audit log filters', () => {
  it('passes everything with no filter', () => {
    expect(filterAudit(events, NO_FILTER)).toBe(events);
  });
  it('filters by function, denied only, and path text', () => {
    expect(seqs(filterAudit(events, { ...NO_FILTER, fn: 'path_open' }))).toEqual([1]);
    expect(seqs(filterAudit(events, { ...NO_FILTER, fn: 'lifecycle' }))).toEqual([0]);
    expect(seqs(filterAudit(events, { ...NO_FILTER, deniedOnly: true }))).toEqual([2]);
    expect(seqs(filterAudit(events, { ...NO_FILTER, text: 'KEEP/' }))).toEqual([2]);
    expect(seqs(filterAudit(events, { ...NO_FILTER, text: '/data' }))).toEqual([1, 2]);
  });
  it('lists functions and exports one JSON object per line', () => {
    expect(functionsIn(events)).toEqual(['fd_write', 'path_open', 'path_unlink_file']);
    const lines = toJsonl(events).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[2]).denial.rule).toBe('landlock_rules[0]');
  });
});
