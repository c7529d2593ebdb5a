import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from '../zod.ts';
import { POLICY_FIELDS, fieldDescription, fieldUnits, fieldsMarkdownTable, policyField } from './fields.ts';
import { PLAYGROUND_EXTENSIONS } from '../interchange/kavach.ts';
import { loadDocument } from './load.ts';
import { policyJsonSchema, sandboxConfigSchema } from './schema.ts';

/** Every field path the schema defines, "[]" standing for a list's items; unions and records are leaves. */
function schemaPaths(schema: z.ZodType, prefix = ''): string[] {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  if (s instanceof z.ZodArray) return schemaPaths(s.element as z.ZodType, `${prefix}[]`);
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return [path, ...schemaPaths(child, path)];
  });
}

/** The JSON Schema node of a path, through objects, nullable unions and list items. */
function jsonSchemaAt(root: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = root;
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    const objectOf = (n: Record<string, unknown>): Record<string, unknown> =>
      n.properties ? n : ((n.anyOf as Record<string, unknown>[] | undefined)?.find((b) => b.properties) ?? n);
    node = (objectOf(node!).properties as Record<string, Record<string, unknown>> | undefined)?.[key];
    if (node && list) node = node.items as Record<string, unknown>;
    if (!node) return undefined;
  }
  return node;
}

describe('the field registry', () => {
  it('has one entry per schema field, and none for a field the schema lacks', () => {
    const paths = schemaPaths(sandboxConfigSchema);
    expect(paths).toContain('filesystem.max_inodes');
    expect(paths).toContain('policy.landlock_rules[].access');
    expect(paths).toContain('deterministic.random_seed');
    expect([...POLICY_FIELDS.map((f) => f.path)].sort()).toEqual([...paths].sort());
    expect(new Set(POLICY_FIELDS.map((f) => f.path)).size).toBe(POLICY_FIELDS.length);
  });

  it('gives every field of the JSON Schema its description, so the editor shows it', () => {
    const schema = policyJsonSchema();
    for (const f of POLICY_FIELDS) {
      const node = jsonSchemaAt(schema, f.path);
      expect(node?.description, f.path).toBe(fieldDescription(f.path));
    }
  });

  it('says what a field does, its default and what kavach does with it', () => {
    expect(fieldDescription('policy.memory_limit_mb')).toBe(
      "Memory cap in MiB: the module's memory cannot grow past it, so malloc returns NULL; a module that needs more at start is refused. "
        + 'Above 4096 it caps at 4096 (all wasm32 can address); 0 allows no memory at all. '
        + 'Default: null (no cap). kavach: sets a wasmtime tuning knob at most 65,536 pages, not a cap (+2, with cpu_limit).',
    );
    expect(fieldDescription('timeout_ms')).toMatch(/ Default: 10000 \(10 s\); kavach's: 30000 \(30 s\)\. kavach: /);
    expect(fieldDescription('fuel')).toMatch(/Default: null \(timeout_ms x 1,000,000, kavach's rule\)\. Playground extension: kavach ignores it, and always uses timeout_ms x 1,000,000\.$/);
    expect(() => policyField('policy.nonsense')).toThrow(/no policy field policy.nonsense/);
  });

  it('has examples that load and differ from the default', () => {
    const defaults = sandboxConfigSchema.parse({});
    const at = (value: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], value);
    const withExamples = POLICY_FIELDS.filter((f) => f.example !== undefined);
    expect(withExamples.length).toBeGreaterThan(20);
    for (const f of withExamples) {
      const [head, tail] = f.path.split('.');
      const doc = tail === undefined ? { [head]: f.example } : { [head]: { [tail]: f.example } };
      const loaded = loadDocument(doc);
      expect(loaded.ok, f.path).toBe(true);
      if (loaded.ok) expect(at(loaded.config, f.path), f.path).not.toEqual(at(defaults, f.path));
    }
  });

  it("marks kavach's fields and the playground's extensions", () => {
    const extensions = POLICY_FIELDS.filter((f) => f.origin === 'playground' && !f.path.includes('.')).map((f) => f.path);
    expect(extensions).toEqual(['args', 'stdin', 'fuel', 'max_output_bytes', 'deterministic', 'filesystem', 'files']);
    expect(policyField('policy.wasi_filter').origin).toBe('playground');
    expect(policyField('policy.landlock_rules').origin).toBe('kavach');
    // The kavach exporter's extensions are the registry's: top-level, in the policy, or inside a kavach object.
    expect(PLAYGROUND_EXTENSIONS).toEqual(['policy.wasi_filter', 'externalization.extra_scanners', 'args', 'stdin', 'fuel', 'max_output_bytes', 'deterministic', 'filesystem', 'files']);
  });

  it('gives every field an export handles as a whole its value in words', () => {
    const units = fieldUnits().map((f) => f.path);
    expect(units).toContain('policy.network');
    expect(units).toContain('externalization.extra_scanners');
    expect(units).not.toContain('policy.network.enabled');
    expect(units).not.toContain('deterministic.random_seed');
    const defaults = sandboxConfigSchema.parse({});
    for (const f of fieldUnits()) {
      expect(f.words, f.path).toBeTypeOf('function');
      expect(f.words!(defaults), f.path).not.toBe('');
    }
  });

  it("gives kavach's default only for kavach's fields, and only where it differs (lifecycle/mod.rs 1.0.1:87-101)", () => {
    const differing = POLICY_FIELDS.filter((f) => f.kavachDefault !== undefined);
    expect(differing.map((f) => [f.path, f.kavachDefault])).toEqual([
      ['backend', '"process"'], ['policy', 'its basic preset (seccomp on, profile "basic")'], ['timeout_ms', '30000 (30 s)'], ['externalization', 'null (no gate)'],
    ]);
    expect(differing.every((f) => f.origin === 'kavach')).toBe(true);
  });

  it("is the README's field table", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(fieldsMarkdownTable());
  });
});
