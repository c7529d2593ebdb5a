/**
 * The policy as the page holds it: the JSON text being edited, and the last document that loaded.
 * The form edits the document; the JSON editor edits the text; each re-renders the other. A
 * field that does not load stays in the text as typed (a draft), shown in both, until it loads or
 * is abandoned; a run uses the last valid policy.
 */
import { asConfigDocument, loadDocument, type PolicyIssue, type SandboxConfig } from '../core/index.ts';

/** A policy document as plain JSON: always the config shape ({"policy": {...}, ...}). */
export type PolicyDoc = Record<string, unknown>;

export interface PolicyState {
  /** What the JSON editor shows; may be invalid. */
  text: string;
  /** The last document that loaded: a run uses it. */
  doc: PolicyDoc;
  config: SandboxConfig;
  /** Problems with `text` (empty when it loaded). */
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
  /**
   * The fields of `text` that do not load, by draft key (a top-level field, or "policy.X" for a
   * field of the policy object), with the value the text holds there. Empty when the text loads
   * or is not JSON at all.
   */
  drafts: Record<string, unknown>;
}

export function docToText(doc: PolicyDoc): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** A state from a document known to load (examples, form edits of a valid document). */
export function policyFromDoc(doc: PolicyDoc, previous?: PolicyState): PolicyState {
  return policyFromText(docToText(doc), previous);
}

/**
 * Load edited text. When it does not load, the errors are reported and the last valid document
 * and config stay in force.
 */
export function policyFromText(text: string, previous?: PolicyState): PolicyState {
  const loaded = loadDocument(text);
  if (!loaded.ok) {
    if (!previous) throw new Error(`policy does not load: ${loaded.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    return { ...previous, text, errors: loaded.errors, warnings: loaded.warnings, drafts: draftsOf(text, loaded.errors) };
  }
  const parsed = JSON.parse(text) as PolicyDoc;
  // A bare kavach SandboxPolicy is wrapped, so form edits of config fields have somewhere to go.
  const doc = loaded.kind === 'policy' ? { policy: parsed } : parsed;
  return { text, doc, config: loaded.config, errors: [], warnings: loaded.warnings, drafts: {} };
}

/**
 * A form edit. It starts from the text (so a field typed earlier that does not load yet is kept,
 * not reverted), and every field that loads takes effect even while another does not: the fields
 * with errors keep their value in force until they load.
 */
export function editDocument(previous: PolicyState, change: (doc: PolicyDoc) => PolicyDoc): PolicyState {
  const next = change(workingDocument(previous));
  const full = policyFromDoc(next, previous);
  if (full.errors.length === 0) return full;
  const keys = [...new Set(full.errors.map((e) => draftKey(e.path)))];
  if (keys.includes(null)) return full;
  let inForce = next;
  for (const key of keys) inForce = withPath(inForce, key!, valueAt(previous.doc, key!));
  const loaded = loadDocument(inForce);
  return loaded.ok ? { ...full, doc: inForce, config: loaded.config } : full;
}

/** Give up a draft: the field goes back to its value in force. */
export function abandonDraft(previous: PolicyState, key: string): PolicyState {
  return editDocument(previous, (doc) => withPath(doc, key, valueAt(previous.doc, key)));
}

/** The document the text holds when it is a JSON object, valid or not; else the last valid one. */
function workingDocument(state: PolicyState): PolicyDoc {
  try {
    return asConfigDocument(JSON.parse(state.text)) ?? state.doc;
  } catch {
    return state.doc;
  }
}

function draftsOf(text: string, errors: readonly PolicyIssue[]): Record<string, unknown> {
  let doc: PolicyDoc | null;
  try {
    doc = asConfigDocument(JSON.parse(text));
  } catch {
    return {};
  }
  const drafts: Record<string, unknown> = {};
  if (doc === null) return drafts;
  for (const e of errors) {
    const key = draftKey(e.path);
    if (key !== null) drafts[key] = valueAt(doc, key);
  }
  return drafts;
}

/**
 * The field a form input edits, for an error's JSON path: "policy.landlock_rules[0].path" ->
 * "policy.landlock_rules", "deterministic.random_seed" -> "deterministic". Null for the document.
 */
export function draftKey(path: string): string | null {
  const inPolicy = /^policy\.([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (inPolicy) return `policy.${inPolicy[1]}`;
  return /^([A-Za-z_][A-Za-z0-9_]*)/.exec(path)?.[1] ?? null;
}

/** The value at a draft key ("timeout_ms", "policy.memory_limit_mb"), or undefined. */
export function valueAt(doc: PolicyDoc, key: string): unknown {
  if (key.startsWith('policy.')) return isRecord(doc.policy) ? doc.policy[key.slice(7)] : undefined;
  return doc[key];
}

/** A copy of `doc` with the field at a draft key set (undefined removes it). */
export function withPath(doc: PolicyDoc, key: string, value: unknown): PolicyDoc {
  return key.startsWith('policy.') ? withPolicyField(doc, key.slice(7), value) : withField(doc, key, value);
}

/** A copy of `doc` with a top-level field set (undefined removes it). */
export function withField(doc: PolicyDoc, key: string, value: unknown): PolicyDoc {
  const next = { ...doc };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** A copy of `doc` with a field of its "policy" object set (undefined removes it). */
export function withPolicyField(doc: PolicyDoc, key: string, value: unknown): PolicyDoc {
  const policy = isRecord(doc.policy) ? doc.policy : {};
  return withField(doc, 'policy', withField(policy, key, value));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
