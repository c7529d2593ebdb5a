/**
 * The page's state and the actions that change it. Output text lives in an OutputLog outside the
 * store (it changes many times a frame); everything else is here.
 */
import { create } from 'zustand';
import { EXAMPLES, SecretStore, describeOutcome, exampleById, inspectModule, type InspectStage, type ModuleInspection, type AuditEvent, type BuildFlags, type Diagnostic, type HashModuleRef, type LimitFix, type RunHandle, type RunReport, type SandboxConfig, type ToolchainProgress, defaultFlags, languageOf } from '../core/index.ts';
import { lessonFor, lessonPolicy, type LessonVariant } from '../lessons/index.ts';
import { getEngine } from './engine.ts';
import { siteFile } from './site.ts';
import { NO_FILTER, type AuditFilter } from './audit-filter.ts';
import { OutputLog } from './output-log.ts';
import { abandonDraft, editDocument, policyFromDoc, policyFromText, withPath, type PolicyDoc, type PolicyState } from './policy-doc.ts';

export interface LoadedModule {
  name: string;
  bytes: Uint8Array;
  /** The example it came from (its committed module, or one built from its source), or null. */
  exampleId: string | null;
  /** The source this page built it from; null for a module that came as a module. */
  builtFrom: SourceVersion | null;
}

/** A source as a build sees it: what makes the same bytes again. */
export interface SourceVersion {
  fileName: string;
  text: string;
  flags: BuildFlags;
}

/** The source being edited: in C, C++ or WebAssembly text, built in the page. */
export interface SourceState extends SourceVersion {
  /** The gallery example it is the source of, or null. */
  exampleId: string | null;
  /** What Reset returns to: the example's source, or the one a link carried; null for none. */
  original: SourceVersion | null;
}

export type BuildState =
  | { status: 'idle' }
  /** `progress` is the compiler's download on a first build; `thenRun` when Run asked for it. */
  | { status: 'building'; fileName: string; progress: ToolchainProgress | null; startedAt: number; thenRun: boolean }
  | { status: 'failed'; fileName: string; message: string; diagnostics: Diagnostic[]; log: string }
  | { status: 'built'; fileName: string; name: string; sha256: string; size: number; durationMs: number; diagnostics: Diagnostic[]; compiler: string };

export type LeftTab = 'policy' | 'source';

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; moduleName: string; exampleId: string | null; edited: boolean; startedAt: number; startedAtWall: number; liveStdin: boolean }
  | { status: 'done'; moduleName: string; exampleId: string | null; edited: boolean; report: RunReport; config: SandboxConfig; startedAtWall: number };

export interface PlaygroundState {
  module: LoadedModule | null;
  /** Why the last module could not be loaded, in words. */
  moduleError: string | null;
  loadingModule: boolean;
  policy: PolicyState;
  run: RunState;
  audit: AuditEvent[];
  auditFilter: AuditFilter;
  /** The tab shown beside the result: output, audit log, or files after the run. */
  resultTab: ResultTab;
  /** Names of the secrets registered this session (their values live in `secrets` only). */
  secretNames: string[];
  /** A shared link's module, named by hash: the next file chosen must match it. */
  pendingModule: HashModuleRef | null;
  /** What opening a link or importing did, or why it could not; `items` lists what it has to say, one each. */
  linkNotice: { kind: 'info' | 'error'; text: string; items?: string[] } | null;
  /** The view shown: the playground itself, the example gallery, or two runs compared. */
  view: View;
  /** The example the gallery shows. */
  galleryId: string;
  /** The step of the guided tour in progress (0-based), or null. */
  tourStep: number | null;
  /** The last few finished runs, newest first, to look back at or compare. */
  recent: RecentRun[];
  /** The source of the module, when there is one to edit and build; null for a bare module. */
  source: SourceState | null;
  build: BuildState;
  /** The left column's tab: the policy, or the source. */
  leftTab: LeftTab;
  /** What the loaded module imports and exports, once inspected. */
  inspection: ModuleInspection | null;
  /** The step of reading and inspecting a module under way, for the progress line. */
  inspecting: 'reading' | InspectStage | null;
}

export interface RecentRun {
  id: number;
  moduleName: string;
  /** The policy exactly as it was when the run started. */
  policyText: string;
  /** The outcome in words, or why the run could not start. */
  summary: string;
  ok: boolean;
}

/** How many finished runs the page keeps. */
export const RECENT_RUNS = 5;
let nextRunId = 1;

export type ResultTab = 'output' | 'audit' | 'files';
export type View = 'playground' | 'gallery' | 'compare';

export const output = new OutputLog();

const DEFAULT_EXAMPLE = EXAMPLES[0];

export const usePlayground = create<PlaygroundState>(() => ({
  module: null,
  moduleError: null,
  loadingModule: false,
  policy: policyFromDoc(DEFAULT_EXAMPLE.policy as PolicyDoc),
  run: { status: 'idle' },
  recent: [],
  source: null,
  build: { status: 'idle' },
  leftTab: 'policy',
  inspection: null,
  inspecting: null,
  audit: [],
  auditFilter: NO_FILTER,
  resultTab: 'output',
  secretNames: [],
  pendingModule: null,
  linkNotice: null,
  view: 'playground',
  galleryId: DEFAULT_EXAMPLE.id,
  tourStep: null,
}));

/** Secret values for this tab only: never in the store, the policy, a link or an export. */
const secrets = new SecretStore();

const set = usePlayground.setState;
const get = usePlayground.getState;

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * Use these bytes as the module; refuses (with a reason) what is not WebAssembly. A module that
 * was neither built here nor is the current source's example leaves the source behind.
 */
export function setModule(name: string, bytes: Uint8Array, exampleId: string | null = null, builtFrom: SourceVersion | null = null): boolean {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) {
    set({ moduleError: `${name} is not a WebAssembly module (it does not start with "\\0asm")` });
    return false;
  }
  const module: LoadedModule = { name, bytes, exampleId, builtFrom };
  const keepSource = builtFrom !== null || (exampleId !== null && get().source?.exampleId === exampleId);
  set(() => ({
    module, moduleError: null, inspection: null, inspecting: 'hashing',
    ...(keepSource ? {} : { source: null, build: { status: 'idle' } as const }),
  }));
  // Hash and compile to list imports and exports, off the critical path (both are asynchronous).
  void inspectModule(bytes, (stage) => {
    if (get().module === module) set({ inspecting: stage });
  }).then((r) => {
    if (get().module !== module) return;
    set(r.ok ? { inspection: r.inspection, inspecting: null } : { inspection: null, inspecting: null, moduleError: `${name}: ${r.message}` });
  });
  return true;
}

export async function loadFile(file: File): Promise<boolean> {
  if (languageOf(file.name) !== null) return loadSourceFile(file);
  set({ loadingModule: true, inspecting: 'reading' });
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const pending = get().pendingModule;
    if (pending) {
      const { verifyModule } = await import('./share-session.ts');
      const check = await verifyModule(pending, bytes, file.name);
      if (!check.ok) {
        set({ moduleError: check.message });
        return false;
      }
      set({ pendingModule: null, linkNotice: null });
    }
    return setModule(file.name, bytes);
  } catch (e) {
    set({ moduleError: `could not read ${file.name}: ${(e as Error).message}` });
    return false;
  } finally {
    set((s) => ({ loadingModule: false, inspecting: s.inspecting === 'reading' ? null : s.inspecting }));
  }
}

/** A C, C++ or WebAssembly text file the person chose: the source to build (nothing runs yet). */
async function loadSourceFile(file: File): Promise<boolean> {
  const language = languageOf(file.name);
  if (language === null) return false;
  try {
    const text = await file.text();
    startSource({ fileName: file.name, text, flags: defaultFlags(language) });
    return true;
  } catch (e) {
    set({ moduleError: `could not read ${file.name}: ${(e as Error).message}` });
    return false;
  }
}

/**
 * Edit and build a source of one's own (a file, a template, a link's): the module loaded until
 * now is put away, since it was not built from it. Shows the Source tab.
 */
export function startSource(version: SourceVersion, options: { exampleId?: string | null; original?: SourceVersion | null } = {}): void {
  set({
    source: { ...version, exampleId: options.exampleId ?? null, original: options.original ?? null },
    module: null, inspection: null, inspecting: null, moduleError: null, pendingModule: null,
    build: { status: 'idle' }, leftTab: 'source', view: 'playground',
  });
}

/** Attach an example's own source (fetched lazily with the editor), unless it is attached already. */
export function attachExampleSource(exampleId: string, text: string): void {
  const example = exampleById(exampleId);
  if (!example || get().source?.exampleId === exampleId) return;
  const version: SourceVersion = { fileName: example.source.split('/').pop()!, text, flags: example.flags };
  set({ source: { ...version, exampleId, original: version } });
}

export function editSource(change: Partial<SourceVersion>): void {
  set((s) => (s.source ? { source: { ...s.source, ...change } } : {}));
}

/** Back to the example's (or the link's) source, and to its module when it is the example's. */
export function resetSource(): void {
  const { source } = get();
  if (!source?.original) return;
  set({ source: { ...source, ...source.original }, build: { status: 'idle' } });
  if (source.exampleId !== null && get().module?.builtFrom) void loadExample(source.exampleId, { keepPolicy: true });
}

export function showLeftTab(tab: LeftTab): void {
  set({ leftTab: tab });
}

const sameVersion = (a: SourceVersion, b: SourceVersion) =>
  a.fileName === b.fileName && a.text === b.text && JSON.stringify(a.flags) === JSON.stringify(b.flags);

/** Whether the source differs from what its example's original or its own build left in `module`. */
export function sourceEdited(source: SourceState | null): boolean {
  return source !== null && (source.original === null || !sameVersion(source, source.original));
}

/** Whether Run must build first: there is a source, and the module was not made from it as it is now. */
export function needsBuild(state: PlaygroundState = get()): boolean {
  const { source, module } = state;
  if (source === null) return false;
  if (module?.builtFrom) return !sameVersion(module.builtFrom, source);
  // An example's committed module stands for its own source, unchanged.
  return !(module !== null && source.exampleId !== null && module.exampleId === source.exampleId && !sourceEdited(source));
}

/**
 * Load a bundled example: its module and (unless told to keep the current one) its policy, or
 * its lesson's changed policy. The lesson's demonstration secrets are registered, so it runs.
 * Its source, when it is being edited, stays as it is (Reset goes back), and so does the module
 * built from it.
 */
export async function loadExample(id: string, options: { keepPolicy?: boolean; variant?: LessonVariant } = {}): Promise<boolean> {
  const example = exampleById(id);
  if (!example) return false;
  // The policy changes at once, so edits made while the module downloads are kept.
  if (!options.keepPolicy) set((s) => ({ policy: policyFromDoc(lessonPolicy(example, options.variant ?? 'default') as PolicyDoc, s.policy) }));
  for (const [name, value] of Object.entries(lessonFor(id)?.demoSecrets ?? {})) {
    if (!secrets.has(name)) registerSecret(name, value);
  }
  const { source, module } = get();
  if (source?.exampleId !== id) set({ source: null, build: { status: 'idle' } });
  else if (module?.exampleId === id) return true;
  set({ loadingModule: true, pendingModule: null });
  try {
    const response = await fetch(siteFile(example.wasm));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return setModule(`${example.id}.wasm`, bytes, example.id);
  } catch (e) {
    set({ moduleError: `could not load the ${example.title} example: ${(e as Error).message}` });
    return false;
  } finally {
    set({ loadingModule: false });
  }
}

// ---- policy ----

export function setPolicyText(text: string): void {
  set((s) => ({ policy: policyFromText(text, s.policy) }));
}

/** Replace the whole policy with a document (from a link or an import). */
export function setPolicyDocument(doc: PolicyDoc): void {
  set((s) => ({ policy: policyFromDoc(doc, s.policy) }));
}

export function setLinkNotice(notice: PlaygroundState['linkNotice']): void {
  set({ linkNotice: notice });
}

/**
 * A link or an import names a module the person must choose: the one loaded until now is put
 * away, so nothing runs until that file is given (a hash ref checks it; null only unloads).
 */
export function expectModule(ref: HashModuleRef | null): void {
  set({ pendingModule: ref, module: null, inspection: null, inspecting: null, moduleError: null, source: null, build: { status: 'idle' } });
}

/** A form edit: fields that load take effect, one that does not stays a draft (policy-doc.ts). */
export function editPolicy(change: (doc: PolicyDoc) => PolicyDoc): void {
  set((s) => ({ policy: editDocument(s.policy, change) }));
}

/** Give up a field's draft: it shows its value in force again. */
export function abandonPolicyDraft(key: string): void {
  set((s) => ({ policy: abandonDraft(s.policy, key) }));
}

// ---- secrets ----

export function registerSecret(name: string, value: string): void {
  secrets.register(name, value);
  set({ secretNames: secrets.names() });
}

export function forgetSecret(name: string): void {
  secrets.delete(name);
  set({ secretNames: secrets.names() });
}

// ---- views ----

export function setAuditFilter(change: Partial<AuditFilter>): void {
  set((s) => ({ auditFilter: { ...s.auditFilter, ...change } }));
}

export function showTab(tab: ResultTab): void {
  set({ resultTab: tab });
}

/** The audit log, filtered to the calls the policy denied. */
export function showDenied(): void {
  set({ auditFilter: { ...NO_FILTER, deniedOnly: true }, resultTab: 'audit', view: 'playground' });
}

export function showView(view: View): void {
  set({ view });
}

/** Show an example's lesson in the gallery. */
export function showLesson(id: string): void {
  if (exampleById(id)) set({ galleryId: id, view: 'gallery' });
}

// ---- running ----

let current: RunHandle | null = null;
let pendingAudit: AuditEvent[] = [];
let auditFlushScheduled = false;

function flushAudit(): void {
  auditFlushScheduled = false;
  if (pendingAudit.length === 0) return;
  const batch = pendingAudit;
  pendingAudit = [];
  set((s) => ({ audit: s.audit.concat(batch) }));
}

/** Batches audit events to at most one store update per frame. */
function queueAudit(events: AuditEvent[]): void {
  pendingAudit.push(...events);
  if (!auditFlushScheduled) {
    auditFlushScheduled = true;
    requestAnimationFrame(flushAudit);
  }
}

export function canRun(state: PlaygroundState = get()): boolean {
  return (state.module !== null || state.source !== null) && state.run.status !== 'running' && state.build.status !== 'building';
}

/** What build-session.ts needs of the store: a run that never builds. */
export { runModule };

/** Run the module; when its source changed since it was built, build it first (the compiler loads then). */
export function run(): void {
  if (!canRun()) return;
  if (needsBuild()) {
    void import('./build-session.ts').then((b) => b.build({ thenRun: true }));
    return;
  }
  runModule();
}

function runModule(): void {
  const { module, policy, run: runState } = get();
  if (!module || runState.status === 'running') return;
  const config = policy.config;
  const policyText = policy.text;
  const startedAtWall = Date.now();
  output.clear();
  pendingAudit = [];
  let streamedStderr = 0;
  const handle = getEngine().run({
    module: module.bytes,
    moduleName: module.name,
    config,
    secrets,
    onOutput: (stream, chunk) => {
      if (stream === 'stderr') streamedStderr += chunk.length;
      output.appendBytes(stream, chunk);
    },
    onAudit: queueAudit,
    // Typing into stdin while the module runs needs a SharedArrayBuffer: only in an isolated page.
    liveStdin: globalThis.crossOriginIsolated === true,
  });
  // A module built from an example's source as edited: a lesson checks only what the sandbox does.
  const { source } = get();
  const edited = module.builtFrom !== null && (source?.original == null || !sameVersion(module.builtFrom, source.original));
  set({ run: { status: 'running', moduleName: module.name, exampleId: module.exampleId, edited, startedAt: performance.now(), startedAtWall, liveStdin: handle.stdin !== null }, audit: [] });
  current = handle;
  void handle.result.then((report) => {
    if (current !== handle) return;
    current = null;
    output.end();
    // What the host itself wrote to stderr after the module's own output (kavach's "WASM fuel
    // exhausted: ..."): shown as the sandbox's, never as the module's.
    if (report.ok && report.result.stderrBytes.length > streamedStderr) {
      output.appendSandbox(new TextDecoder().decode(report.result.stderrBytes.subarray(streamedStderr)));
    }
    flushAudit();
    const summary = report.ok ? describeOutcome(report.result.outcome) : `did not run: ${report.error.message}`;
    const entry: RecentRun = { id: nextRunId++, moduleName: module.name, policyText, summary, ok: report.ok };
    set((s) => ({
      run: { status: 'done', moduleName: module.name, exampleId: module.exampleId, edited, report, config, startedAtWall },
      recent: [entry, ...s.recent].slice(0, RECENT_RUNS),
    }));
  });
}

/** Raise the limit a run ended at (the result's one-click fix) and run again. */
export function runWithFix(fix: LimitFix): void {
  editPolicy((doc) => withPath(doc, fix.path, fix.value));
  run();
}

export function stop(): void {
  current?.stop();
}

/** Live stdin of the running module (cross-origin-isolated pages only). */
export function typeStdin(text: string): void {
  current?.stdin?.write(text);
}

export function endStdin(): void {
  current?.stdin?.close();
}

/** A run beside the page's own (comparing two policies): the same engine and session secrets, no streaming. */
export function runDetached(module: LoadedModule, config: SandboxConfig): RunHandle {
  return getEngine().run({ module: module.bytes, moduleName: module.name, config, secrets });
}
