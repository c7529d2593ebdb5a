/**
 * The engine's public API: what the page (src/ui, through src/core/browser.ts for its workers) and
 * the CLI (src/cli, through src/core/node.ts) use, named one by one. It runs the same in Node and
 * in a browser: nothing here, nor anything it imports, needs node:* or the DOM. Anything else in
 * src/core is the engine's own; a face that needs more adds it here, by name.
 */

// Policy documents: the schema and its types, loading with path-named errors, presets, what a
// policy means for a run (mounts, fuel, file-system limits), and the field registry's words.
export {
  DEFAULT_FILESYSTEM_BYTES, PRESET_NAMES, asConfigDocument, describeIssues, fieldDescription, filesystemLimits, fuelBudget, isInside, loadDocument,
  mountsOf, normaliseMountPath, parseDocument, policyJsonSchema, policySummary, presetPolicy, sandboxConfigSchema,
  type Backend, type ExternalizationPolicy, type FileContents, type InjectionMethod, type LoadResult, type Mount, type PolicyIssue,
  type SandboxConfig, type SandboxConfigInput, type SandboxPolicy, type SecretRef,
} from './policy/index.ts';

// Limits in words, and the one-click fix for the limit a run hit.
export { aboutDuration, describeFuelBudget, fuelSeconds, fuelTimeMeaning, limitHit, type LimitFix } from './limits/index.ts';

// Running a module: the engine, its reports and outcomes, and a module's facts before a run.
export { Engine, type RunHandle, type RunReport, type RunResult, type SpawnWorker } from './runner/engine.ts';
export { describeOutcome, type Outcome } from './runner/outcome.ts';
export { inspectModule, type InspectStage, type ModuleInspection } from './runner/inspect.ts';
export { SecretStore } from './secrets/index.ts';
export type { AuditEvent, CallEvent } from './audit/events.ts';

// Host files under a run's file-system budget (the CLI mounts host folders).
export { FsBudget, formatSize } from './wasi/budget.ts';
export type { MountEntry } from './wasi/tree.ts';

// The audit log's hash-chained JSONL export, the output gate, the score, comparing two runs.
export { END_EVENT_TYPE, toJsonl, verifyJsonl } from './audit/index.ts';
export { DEFAULT_EXTERNALIZATION, scanOutput, type Finding } from './gate/index.ts';
export { kavachScore, playgroundScore, type ScoreLine } from './score/index.ts';
export { alignAudit, policyDiff, type AlignedRow, type PolicyChange } from './compare/index.ts';

// The fuel and memory-cap instrumenter on its own (`kavach instrument`).
export { InstrumentError, instrument } from './instrument/index.ts';

// Share links, import and export in other tools' formats, and the bundled examples.
export {
  SHARE_LINK_WARN_CHARS, decodeShareLink, encodeShareLink, moduleRefFor, splitFragment, verifyModule,
  type EncodeResult, type HashModuleRef, type ModuleRef, type SourceModuleRef,
} from './share/index.ts';
export { EXPORT_FORMATS, FORMAT_LABELS, exportAs, importAny, type ExportFormat, type ImportedModule } from './interchange/index.ts';
export { EXAMPLES, exampleById, type Example } from './examples/index.ts';

// Building modules from source: flags and their command line, diagnostics, the compile client.
// Named from each file, not compile/index.ts: the CLI's build binds a command's names to the file
// given here (scripts/build-cli.mjs), so `kavach run`, which needs only the flags, loads only those.
export {
  OPTIMIZATIONS, STANDARDS, checkFlags, commandLine, defaultFlags, languageOf, outputName, splitFlags,
  type BuildFlags, type Optimization, type SourceLanguage,
} from './compile/flags.ts';
export { countDiagnostics, type Diagnostic } from './compile/diagnostics.ts';
export { buildSource, type BuildRequest, type BuildResult } from './compile/build.ts';
export { COMPILER_ID, WAT_COMPILER_ID, type ToolchainProgress } from './compile/toolchain.ts';
export { Compiler } from './compile/compiler.ts';
