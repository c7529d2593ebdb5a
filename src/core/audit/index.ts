/** The audit trail: event types, the per-run ring buffer, and the hash-chained JSONL export. */
export type { AuditEvent, CallEvent, Denial, LifecycleEvent, LifecycleEventName } from './events.ts';
export { AuditLog, DEFAULT_AUDIT_CAPACITY, type AuditSnapshot } from './log.ts';
export { END_EVENT_TYPE, GENESIS, canonicalJson, eventType, toJsonl, verifyJsonl, type ChainOptions, type ExportOptions, type VerifyResult } from './chain.ts';
