/**
 * Reading a policy document: a kavach SandboxPolicy, a kavach SandboxConfig, or the playground's
 * extended config. Errors and warnings name the JSON path.
 */
import * as z from '../zod.ts';
import { MAX_MEMORY_MB, sandboxConfigSchema, sandboxPolicySchema, type SandboxConfig } from './schema.ts';

export interface PolicyIssue {
  /** JSON path such as `policy.landlock_rules[0].access`; "" for the document itself. */
  path: string;
  message: string;
}

export type LoadResult =
  | { ok: true; config: SandboxConfig; warnings: PolicyIssue[]; kind: 'config' | 'policy' }
  | { ok: false; errors: PolicyIssue[]; warnings: PolicyIssue[] };

/** Largest total of initial mount file contents a document may carry. */
export const MAX_FILES_BYTES = 64 * 1024 * 1024;

const POLICY_KEYS = new Set(Object.keys(sandboxPolicySchema.shape));
const CONFIG_ONLY_KEYS = new Set(Object.keys(sandboxConfigSchema.shape).filter((k) => !POLICY_KEYS.has(k)));

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

export function describeIssues(issues: readonly PolicyIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}

/** Load a document from JSON text or an already-parsed value. */
export function loadDocument(input: string | unknown): LoadResult {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [{ path: '', message: `not valid JSON: ${(e as Error).message}` }], warnings: [] };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ path: '', message: 'expected a JSON object (a SandboxPolicy or a SandboxConfig)' }], warnings: [] };
  }
  const record = value as Record<string, unknown>;
  const isBarePolicy = isBarePolicyDocument(record);
  const document = isBarePolicy ? { policy: record } : record;

  const parsed = sandboxConfigSchema.safeParse(document);
  const warnings = unknownKeys(sandboxConfigSchema, document, []).map((path) => ({
    path: formatPath(path),
    message: 'unknown field, ignored (as kavach ignores it)',
  }));
  if (!parsed.success) {
    return { ok: false, errors: flattenZodIssues(parsed.error.issues), warnings };
  }
  const config = parsed.data;
  const errors = semanticErrors(config);
  warnings.push(...semanticWarnings(config));
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, config, warnings, kind: isBarePolicy ? 'policy' : 'config' };
}

/** A kavach SandboxPolicy on its own: only policy fields, no config fields. */
function isBarePolicyDocument(record: Record<string, unknown>): boolean {
  const keys = Object.keys(record);
  return keys.length > 0 && !keys.some((k) => CONFIG_ONLY_KEYS.has(k)) && keys.some((k) => POLICY_KEYS.has(k));
}

/**
 * A JSON value as a config document (a bare SandboxPolicy wrapped as its "policy"), valid or not;
 * null when it is not a JSON object.
 */
export function asConfigDocument(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  return isBarePolicyDocument(record) ? { policy: record } : record;
}

/** Parse or throw an Error whose message lists every problem. */
export function parseDocument(input: string | unknown): SandboxConfig {
  const result = loadDocument(input);
  if (!result.ok) throw new Error(`invalid policy:\n${describeIssues(result.errors)}`);
  return result.config;
}

function flattenZodIssues(issues: readonly z.core.$ZodIssue[]): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of issues) {
    // A union's own message is ours ("expected A or B"); its branches' issues would only confuse.
    out.push({ path: formatPath(issue.path), message: issue.message });
  }
  return out;
}

function semanticErrors(config: SandboxConfig): PolicyIssue[] {
  const errors: PolicyIssue[] = [];
  const mounts = config.policy.landlock_rules.map((r) => normaliseMountPath(r.path));
  const firstRule = new Map<string, number>();
  mounts.forEach((m, i) => {
    const first = firstRule.get(m);
    if (first !== undefined) errors.push({ path: `policy.landlock_rules[${i}].path`, message: `mount ${m} is already declared by rule ${first}` });
    else firstRule.set(m, i);
  });
  const inAnyMount = (path: string) => {
    const p = normaliseMountPath(path);
    return mounts.some((m) => liesIn(p, m));
  };
  let total = 0;
  for (const [path, contents] of Object.entries(config.files)) {
    if (!inAnyMount(path)) {
      errors.push({ path: formatPath(['files', path]), message: `${path} is not inside any mount: add a landlock rule for its directory` });
    }
    total += typeof contents === 'string' ? contents.length : (contents.base64.length * 3) / 4;
  }
  if (total > MAX_FILES_BYTES) {
    errors.push({ path: 'files', message: `mount files total ${(total / 1048576).toFixed(1)} MiB; the limit is ${MAX_FILES_BYTES / 1048576} MiB` });
  }
  config.secrets.forEach((ref, i) => {
    if (typeof ref.inject_via === 'object' && 'File' in ref.inject_via) {
      const path = ref.inject_via.File.path;
      if (!inAnyMount(path)) {
        const directory = normaliseMountPath(`${path}/..`);
        errors.push({
          path: `secrets[${i}].inject_via.File.path`,
          message: `${path} is not inside any mount: a secret file must live in a mounted directory, as the module sees nothing else (kavach would accept it: no kavach backend writes secret files); add a landlock rule for ${directory}`,
        });
      }
    }
  });
  return errors;
}

function semanticWarnings(config: SandboxConfig): PolicyIssue[] {
  const warnings: PolicyIssue[] = [];
  config.policy.landlock_rules.forEach((rule, i) => {
    if (!rule.path.startsWith('/')) {
      const mount = normaliseMountPath(rule.path);
      warnings.push({
        path: `policy.landlock_rules[${i}].path`,
        message: `"${rule.path}" is relative: mounted at ${mount}, where WASI programs look for it (kavach mounts the directory of that name in its working directory, under the guest name "${rule.path}")`,
      });
    }
    if (rule.access !== 'ro' && rule.access !== 'rw') {
      warnings.push({ path: `policy.landlock_rules[${i}].access`, message: `"${rule.access}" is not "ro" or "rw": mounted read-only (kavach's rule)` });
    }
  });
  const memory = config.policy.memory_limit_mb;
  if (memory !== null && memory > MAX_MEMORY_MB) {
    warnings.push({
      path: 'policy.memory_limit_mb',
      message: `${memory} MiB is more than a wasm32 module can address: the cap is ${MAX_MEMORY_MB} MiB (kavach's WASM backend stops at the same 65,536 pages)`,
    });
  }
  if (memory === 0) {
    warnings.push({
      path: 'policy.memory_limit_mb',
      message: '0 MiB allows no memory at all, so a module that declares memory (almost every one) is refused at start, as kavach\'s process backend reads 0 (its WASM backend caps nothing at any value); null is no cap',
    });
  }
  if (config.policy.cpu_limit === 0) {
    warnings.push({ path: 'policy.cpu_limit', message: '0 cores is not enforced, as no cpu_limit is here: the module still runs, bounded by fuel and the timeout' });
  }
  if (config.policy.network.enabled) {
    warnings.push({ path: 'policy.network.enabled', message: 'WASI preview1 has no sockets here: the module gets no network whatever this says' });
  }
  if (config.backend !== 'wasm') {
    warnings.push({ path: 'backend', message: `only the wasm backend runs in the playground; "${config.backend}" is used for kavach's score only` });
  }
  if (config.inner_backend !== null) {
    warnings.push({
      path: 'inner_backend',
      message: 'kept for kavach 1.0, and changes nothing here: kavach layers its strict preset onto the policy it hands the backend, which its WASM backend ignores',
    });
  }
  return warnings;
}

export function normaliseMountPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const stack: string[] = [];
  for (const p of parts) {
    if (p === '..') stack.pop();
    else stack.push(p);
  }
  return '/' + stack.join('/');
}

/** Whether `path` lies inside mount directory `mount` (both absolute). */
export function isInside(path: string, mount: string): boolean {
  return liesIn(normaliseMountPath(path), mount);
}

function liesIn(normalisedPath: string, mount: string): boolean {
  return mount === '/' || normalisedPath === mount || normalisedPath.startsWith(mount + '/');
}

/** Paths of object keys present in `value` that the schema does not define. */
function unknownKeys(schema: z.ZodType, value: unknown, path: PropertyKey[]): PropertyKey[][] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    const shape = inner.shape as Record<string, z.ZodType>;
    const out: PropertyKey[][] = [];
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (!(key in shape)) out.push([...path, key]);
      else out.push(...unknownKeys(shape[key], child, [...path, key]));
    }
    return out;
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownKeys(inner.element as z.ZodType, item, [...path, i]));
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else return s;
  }
}
