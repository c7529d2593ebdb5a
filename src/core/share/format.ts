/**
 * What a share link's payload is, version by version, and how an older version is brought up to
 * date.
 *
 * Version 1 payload (before compression): one line of canonical JSON
 *   {"doc": <minimal policy document>, "module": null | <module reference>}
 * and, only for an inline module, a newline (0x0A) and the module's raw bytes. JSON text never
 * contains a raw newline, so the first 0x0A ends it. Module references:
 *   {"kind":"hash","name":N,"sha256":H,"size":S} | {"kind":"inline","name":N,"size":S}
 *   | {"kind":"example","id":I}
 *
 * Version 2 adds a source to build instead of a module:
 *   {"kind":"source","name":F,"size":S,"compiler":C,"flags":{...},"example":I|null}
 * followed, as an inline module is, by a newline and the source's S bytes of UTF-8. `compiler`
 * names the compiler its author built with, `flags` are the build flags (compile/flags.ts), and
 * `example` the gallery example it is an edit of, if any. A v1 envelope is a v2 envelope whose
 * module is not a source; the migration checks that it is one.
 *
 * Changing the payload: bump `version`, and add a migration from the old version that rewrites an
 * old JSON envelope into the new shape. Links of every version since 1 keep opening; a version
 * with no path to the current one is refused with a message, never guessed at.
 */
import * as z from '../zod.ts';
import { buildFlagsSchema } from '../compile/flags.ts';
import {
  exampleIdSchema, INLINE_MODULE_MAX_BYTES, LINK_SOURCE_MAX_BYTES, moduleNameSchema, moduleSizeSchema, sha256Schema,
} from './module-ref.ts';

/** Rewrites a version-N envelope (parsed JSON) into a version-N+1 one; throws if it cannot. */
export type Migration = (older: unknown) => unknown;

export interface LinkFormat {
  version: number;
  /** Keyed by the version each migration reads. */
  migrations: ReadonlyMap<number, Migration>;
}

const v1ModuleKinds = new Set(['hash', 'inline', 'example']);

/** v1 -> v2: the envelope is unchanged; a v1 link never carried a source, so one that does is forged. */
export function migrateV1(older: unknown): unknown {
  const module = typeof older === 'object' && older !== null ? (older as { module?: unknown }).module : undefined;
  const kind = typeof module === 'object' && module !== null ? (module as { kind?: unknown }).kind : undefined;
  if (kind !== undefined && !v1ModuleKinds.has(kind as string)) throw new Error(`a v1 link's module is a hash, inline bytes or an example, not ${JSON.stringify(kind)}`);
  return older;
}

export const CURRENT_FORMAT: LinkFormat = { version: 2, migrations: new Map([[1, migrateV1]]) };

const sourceSizeSchema = z.number({ error: 'expected the source\'s size in bytes' })
  .int({ error: 'expected the source\'s size in whole bytes' })
  .min(0, { error: 'expected the source\'s size in bytes' })
  .max(LINK_SOURCE_MAX_BYTES, { error: `expected a source of at most ${LINK_SOURCE_MAX_BYTES} bytes` });

export const moduleRefJsonSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hash'), name: moduleNameSchema, size: moduleSizeSchema, sha256: sha256Schema }),
  z.strictObject({
    kind: z.literal('inline'),
    name: moduleNameSchema,
    size: moduleSizeSchema.max(INLINE_MODULE_MAX_BYTES, { error: `expected an inline module of at most ${INLINE_MODULE_MAX_BYTES} bytes` }),
  }),
  z.strictObject({ kind: z.literal('example'), id: exampleIdSchema }),
  z.strictObject({
    kind: z.literal('source'),
    name: moduleNameSchema,
    size: sourceSizeSchema,
    compiler: z.string({ error: 'expected the compiler that built the source' }).max(200, { error: 'expected the compiler\'s name in at most 200 characters' }),
    // Built on first use: the flags' schema is not needed until a link carries a source.
    flags: z.lazy(() => buildFlagsSchema()),
    example: exampleIdSchema.nullable(),
  }),
], { error: 'expected a module reference with kind "hash", "inline", "example" or "source"' });

export const envelopeSchema = z.strictObject({
  doc: z.record(z.string(), z.unknown(), { error: 'expected the policy document as a JSON object' }),
  module: moduleRefJsonSchema.nullable(),
}, {
  error: (issue) => issue.code === 'unrecognized_keys'
    ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: not a link this page made`
    : 'expected {"doc": {...}, "module": ...}',
});

export type ModuleRefJson = z.output<typeof moduleRefJsonSchema>;

export type MigrationResult = { ok: true; envelope: unknown } | { ok: false; message: string };

/** Apply the chain from `from` up to `format.version`. */
export function migrateEnvelope(envelope: unknown, from: number, format: LinkFormat): MigrationResult {
  let current = envelope;
  for (let v = from; v < format.version; v++) {
    const step = format.migrations.get(v);
    if (step === undefined) {
      return { ok: false, message: `link format v${from} is not one this page can read (it reads v${format.version}${oldest(format)})` };
    }
    try {
      current = step(current);
    } catch (e) {
      return { ok: false, message: `this v${from} link could not be brought up to v${format.version}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { ok: true, envelope: current };
}

/** The oldest version the chain reaches back to, for messages. */
function oldest(format: LinkFormat): string {
  let v = format.version;
  while (format.migrations.has(v - 1)) v--;
  return v === format.version ? '' : ` and, by migration, v${v} to v${format.version - 1}`;
}
