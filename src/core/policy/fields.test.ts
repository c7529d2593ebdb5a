import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from '../zod.ts';
import { POLICY_FIELDS, fieldDescription, fieldsMarkdownTable, policyField } from './fields.ts';
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
      "Memory cap in MiB (1-4096): the module's memory cannot grow past it, so malloc returns NULL; a module that needs more at start is refused. "
        + 'Default: null (no cap). kavach: sets a wasmtime tuning knob, not a cap (+2, with cpu_limit).',
    );
    expect(fieldDescription('fuel')).toMatch(/Default: null \(timeout_ms x 1,000,000, kavach's rule\)\. Playground extension: kavach ignores it, and always uses timeout_ms x 1,000,000\.$/);
    expect(() => policyField('policy.nonsense')).toThrow(/no policy field policy.nonsense/);
  });

  it('has examples that load and differ from the default', () => {
    const defaults = sandboxConfigSchema.parse({});
    const at = (value: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);
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
    // The kavach exporter lists the same fields as lossy (a later change derives its list from here).
    const exportable = POLICY_FIELDS.filter((f) => f.origin === 'playground' && /^(policy\.)?[a-z_]+$/.test(f.path)).map((f) => f.path);
    expect([...exportable].sort()).toEqual([...PLAYGROUND_EXTENSIONS].sort());
  });

  it("is the README's field table", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(fieldsMarkdownTable());
  });
});
