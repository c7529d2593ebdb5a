/**
 * Listing what an export leaves out. Every field an export expresses or leaves out as a whole is
 * visited (the list is the field registry's, so a field added later is listed until an exporter
 * claims it); a field an exporter does not express and that differs from its default becomes one
 * lossy item, its value in the registry's words.
 */
import { enclosingUnit, fieldUnits, policyField } from '../policy/fields.ts';
import { normaliseMountPath } from '../policy/load.ts';
import { sandboxConfigSchema, type SandboxConfig } from '../policy/schema.ts';
import { deepEqual, isPlainObject } from '../share/document.ts';

const DEFAULTS = sandboxConfigSchema.parse({});

/** Every field path an export expresses or lists as a whole: "backend", "policy.network", "externalization.extra_scanners"... */
export const ALL_FIELDS: readonly string[] = fieldUnits().map((f) => f.path);

/** The value at a dotted path; undefined where an object on the way is null (a field of no gate). */
export function fieldValue(config: SandboxConfig, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (isPlainObject(value) ? value[key] : undefined), config);
}

/** Whether a field holds its default; a field inside a null object (no gate) counts as default. */
export function isDefault(config: SandboxConfig, path: string): boolean {
  const value = fieldValue(config, path);
  return value === undefined || deepEqual(value, fieldValue(DEFAULTS, path));
}

/**
 * One item per field not in `expressed` whose value differs from the default. A field inside one
 * the format does not express at all goes with it ("externalization" covers its extra_scanners).
 */
export function unexpressed(config: SandboxConfig, format: string, expressed: ReadonlySet<string>): string[] {
  return ALL_FIELDS
    .filter((f) => !expressed.has(f) && !isDefault(config, f))
    .filter((f) => { const outer = enclosingUnit(f); return outer === null || expressed.has(outer); })
    .map((f) => `${f}: ${format} cannot express ${describe(config, f)}`);
}

/** A field's value in words, for a lossy item (the registry's words). */
export function describe(config: SandboxConfig, path: string): string {
  const words = policyField(path).words;
  if (words === undefined) throw new Error(`the field registry gives ${path} no words`);
  return words(config);
}

/** An explicit fuel budget that equals kavach's derived one reads back as derived (null). */
export function fuelItem(config: SandboxConfig, format: string): string | null {
  if (config.fuel === null) return null;
  const derived = config.timeout_ms === 0 ? null : config.timeout_ms * 1_000_000;
  return config.fuel === derived
    ? `fuel: the explicit budget equals what timeout_ms gives (${config.fuel.toLocaleString('en-US')}); ${format} reads back as derived (null)`
    : null;
}

/** Host directory standing in for a guest mount path in command lines and manifests. */
export function hostPlaceholder(guest: string): string {
  const path = normaliseMountPath(guest);
  return path === '/' ? '.' : `.${path}`;
}
