/**
 * The engine's public API: everything the page and the CLI use. Platform-specific worker
 * spawning lives beside it (runner/spawn-browser.ts, runner/node/spawn-node.ts) and is imported by each
 * face directly, so that neither pulls in the other's platform.
 */
export * from './policy/index.ts';
export * from './limits/index.ts';
export type { AuditEvent, CallEvent, LifecycleEvent, Denial } from './audit/events.ts';
export { Engine, TRIVIAL_START_MODULE } from './runner/engine.ts';
export type { EngineOptions, RunHandle, RunReport, RunRequest, RunResult, SpawnWorker, WorkerHandle } from './runner/engine.ts';
export { SandboxError, Lifecycle } from './runner/lifecycle.ts';
export type { SandboxErrorKind, SandboxState } from './runner/lifecycle.ts';
export { describeOutcome, exitCodeOf, timedOut } from './runner/outcome.ts';
export type { Outcome } from './runner/outcome.ts';
export type { ModuleFacts } from './runner/protocol.ts';
export { sha256Hex } from './util/hash.ts';
export { READ_ONLY_ERRNO, errnoName } from './wasi/errno.ts';
export { WASI_CALLS } from './wasi/calls.ts';
export * from './share/index.ts';
export * from './interchange/index.ts';
export { mountFor } from './runner/plan.ts';
export * from './examples/index.ts';
export { alignAudit, policyDiff, type AlignedRow, type PolicyChange } from './compare/index.ts';
export { SecretStore, CredentialError, resolveSecrets } from './secrets/index.ts';
export type { ResolvedSecrets, SecretFile } from './secrets/index.ts';
export * from './score/index.ts';
export type { GateReport, StreamFinding } from './runner/stream-gate.ts';
export { scanOutput, SECRET_PATTERNS } from './gate/index.ts';
export type { Finding, Verdict, GateResult } from './gate/index.ts';
export { toJsonl, verifyJsonl } from './audit/index.ts';
export { compileFilter, STRICT_ALLOWLIST, BASIC_DENYLIST, FILTER_DENIED_ERRNO } from './filter/index.ts';
export type { CallFilter, FilterEntry } from './filter/index.ts';
export { inspectModule } from './runner/inspect.ts';
export * from './compile/index.ts';
export type { InspectResult, InspectStage, ModuleInspection } from './runner/inspect.ts';
