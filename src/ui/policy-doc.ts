/**
 * The policy as the page holds it: the JSON text being edited, and the last document that loaded.
 * The form edits the document; the JSON editor edits the text; each re-renders the other.
 */
import { loadDocument, type PolicyIssue, type SandboxConfig } from '../core/index.ts';

/** A policy document as plain JSON: always the config shape ({"policy": {...}, ...}). */
export type PolicyDoc = Record<string, unknown>;

export interface PolicyState {
  /** What the JSON editor shows; may be invalid. */
  text: string;
  /** The last document that loaded: the form shows it, a run uses it. */
  doc: PolicyDoc;
  config: SandboxConfig;
  /** Problems with `text` (empty when it loaded). */
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
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
    return { ...previous, text, errors: loaded.errors, warnings: loaded.warnings };
  }
  const parsed = JSON.parse(text) as PolicyDoc;
  // A bare kavach SandboxPolicy is wrapped, so form edits of config fields have somewhere to go.
  const doc = loaded.kind === 'policy' ? { policy: parsed } : parsed;
  return { text, doc, config: loaded.config, errors: [], warnings: loaded.warnings };
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
