/**
 * The smallest document that loads to a given config (every field at its default left out), and
 * canonical JSON (sorted keys, no spaces), so equal setups serialise to equal bytes.
 */
import { sandboxConfigSchema, type SandboxConfig, type SandboxConfigInput } from '../policy/schema.ts';

const DEFAULTS: SandboxConfig = sandboxConfigSchema.parse({});

/**
 * `config` without the fields that equal their defaults, in schema order: what the editor shows
 * for an imported or shared setup, and what a link carries. `loadDocument` of it gives `config`.
 */
export function minimalDocument(config: SandboxConfig): SandboxConfigInput {
  return withoutDefaults(config, DEFAULTS) as SandboxConfigInput;
}

function withoutDefaults(value: unknown, defaults: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(defaults)) return value;
  const entries: [string, unknown][] = [];
  for (const [key, v] of Object.entries(value)) {
    const d = defaults[key];
    if (deepEqual(v, d)) continue;
    entries.push([key, withoutDefaults(v, d)]);
  }
  return Object.fromEntries(entries);
}

/** JSON with object keys sorted (arrays keep their order) and no whitespace. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
