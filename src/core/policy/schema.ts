/**
 * The policy document: kavach's SandboxConfig / SandboxPolicy (snake_case, as the Rust crate
 * serialises them) extended with what the playground needs. One zod schema gives the TypeScript
 * types, the runtime validation and the JSON Schema the editor uses.
 */
import * as z from '../zod.ts';
import { WASI_CALLS } from '../wasi/calls.ts';
import { fieldDescription } from './fields.ts';

/** An object's fields, each described from the field registry (fields.ts) under `prefix`. */
function described<T extends Record<string, z.ZodType>>(prefix: string, shape: T): T {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.describe(fieldDescription(prefix + key))])) as T;
}

/** kavach's backends, lowercase as its serde names them. Only "wasm" runs here. */
export const BACKENDS = [
  'noop', 'process', 'oci', 'wasm', 'gvisor', 'sgx', 'syagnos', 'sev', 'tdx', 'firecracker',
] as const;
export type Backend = (typeof BACKENDS)[number];

import { SEVERITIES } from './severity.ts';
export { SEVERITIES, type Severity } from './severity.ts';

/** The largest memory a wasm32 module can address, in MiB: 65,536 pages of 64 KiB. */
export const MAX_MEMORY_MB = 4096;
const U32_MAX = 0xffffffff;
const guestPath = z
  .string({ error: 'expected an absolute guest path such as "/data"' })
  .regex(/^\/[^\0]*$/, { error: 'expected an absolute guest path such as "/data" (starting with "/", no NUL)' });
const optionalPositiveInt = (what: string) =>
  z.number({ error: `expected ${what} (a positive whole number) or null` })
    .int({ error: `expected ${what} (a positive whole number) or null` })
    .positive({ error: `expected ${what} (a positive whole number) or null` })
    .nullable()
    .default(null);
const lowerEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(values, { error: `expected ${what}: one of ${values.join(', ')}` }),
  );

/**
 * A rule's path as kavach takes it: any string (a relative one mounts at /path, load.ts warns).
 * kavach also takes "" and a NUL, and mounts nothing for them (no such directory exists).
 */
const rulePath = z
  .string({ error: 'expected a guest path such as "/data"' })
  .min(1, { error: 'expected a guest path such as "/data"; kavach would accept "", but an empty path names no directory, so it would mount nothing' })
  .regex(/^[^\0]*$/, { error: 'expected a guest path such as "/data"; kavach would accept a NUL, but no directory has one in its name, so it would mount nothing' });

export const landlockRuleSchema = z.object(described('policy.landlock_rules[].', {
  path: rulePath,
  /** "rw" mounts read-write; anything else, "" included (kavach's rule), mounts read-only. */
  access: z.string({ error: 'expected "ro" or "rw"' }),
}));

export const networkPolicySchema = z.object(described('policy.network.', {
  enabled: z.boolean({ error: 'expected true or false' }).default(false),
  allowed_hosts: z.array(z.string(), { error: 'expected a list of host names' }).default([]),
  allowed_ports: z.array(z.number().int().min(0).max(65535), { error: 'expected a list of port numbers 0-65535' }).default([]),
}));

export const wasiFilterSchema = z.object(described('policy.wasi_filter.', {
  /** allow: only the listed calls run; deny: the listed calls are refused. */
  mode: z.enum(['allow', 'deny'], { error: 'expected "allow" or "deny"' }),
  calls: z.array(z.enum(WASI_CALLS, { error: 'expected a wasi_snapshot_preview1 function name' })),
}));

export const sandboxPolicySchema = z.object(described('policy.', {
  seccomp_enabled: z.boolean({ error: 'expected true or false' }).default(false),
  seccomp_profile: z.string({ error: 'expected a profile name ("strict" or "basic") or null' }).nullable().default(null),
  landlock_rules: z.array(landlockRuleSchema, { error: 'expected a list of {path, access} rules' }).default([]),
  network: networkPolicySchema.default({ enabled: false, allowed_hosts: [], allowed_ports: [] }),
  read_only_rootfs: z.boolean({ error: 'expected true or false' }).default(false),
  // kavach's u64: any whole number of MiB; above MAX_MEMORY_MB caps at it (derive.ts, load.ts warns).
  memory_limit_mb: z.number({ error: 'expected a memory limit in MiB (a whole number, 0 or more) or null' })
    .int({ error: 'expected a memory limit in MiB (a whole number, 0 or more) or null' })
    .min(0, { error: 'expected a memory limit in MiB (a whole number, 0 or more) or null' })
    .nullable().default(null),
  cpu_limit: z.number({ error: 'expected a fraction of CPU cores (0 or more) or null' })
    .min(0, { error: 'expected a fraction of CPU cores (0 or more) or null; kavach would accept a negative number (it checks nothing), but no sandbox gives less than no CPU' })
    .nullable().default(null),
  // kavach's u32
  max_pids: z.number({ error: `expected a process count (0-${U32_MAX}) or null` })
    .int({ error: `expected a process count (0-${U32_MAX}) or null` })
    .min(0, { error: `expected a process count (0-${U32_MAX}) or null` })
    .max(U32_MAX, { error: `expected a process count (0-${U32_MAX}) or null` })
    .nullable().default(null),
  data_dir: z.string({ error: 'expected a directory path or null' }).nullable().default(null),
  /** Playground extension: a custom WASI call list; overrides the seccomp profile's list. */
  wasi_filter: wasiFilterSchema.nullable().default(null),
}));

/**
 * kavach's InjectionMethod, externally tagged, read as serde_json reads it (credential/mod.rs
 * 1.0.1:24-39): the unit variant as "Stdin" or {"Stdin": null}, a struct variant as an object with
 * exactly one key, every field required (File's mode too: a u32, any value).
 */
export const injectionSchema = z.union([
  z.union([z.literal('Stdin'), z.strictObject({ Stdin: z.null() }).transform(() => 'Stdin' as const)]),
  z.strictObject({ EnvVar: z.object({ var_name: z.string().min(1, { error: 'expected an environment variable name' }) }) }),
  z.strictObject({
    File: z.object({
      path: guestPath,
      mode: z.number({ error: 'expected the file\'s mode, such as 256 (0o400): kavach\'s serde needs it' })
        .int({ error: `expected a file mode (a whole number, 0-${U32_MAX})` }).min(0, { error: `expected a file mode (a whole number, 0-${U32_MAX})` })
        .max(U32_MAX, { error: `expected a file mode (a whole number, 0-${U32_MAX})` }),
    }),
  }),
], { error: 'expected "Stdin", {"EnvVar": {"var_name": ...}} or {"File": {"path": ..., "mode": ...}} (mode required, as kavach\'s serde needs it)' });

export const secretRefSchema = z.object(described('secrets[].', {
  name: z.string().min(1, { error: 'expected a secret name' }),
  inject_via: injectionSchema,
}));

/** kavach 1.0's further gate scanners: its code scanner, data scanner and entropy fallback. */
export const EXTRA_SCANNERS = ['code', 'data', 'entropy'] as const;
export type ExtraScanner = (typeof EXTRA_SCANNERS)[number];

export const externalizationSchema = z.object(described('externalization.', {
  enabled: z.boolean().default(true),
  max_artifact_size_bytes: z.number().int().min(0).default(50 * 1024 * 1024),
  block_threshold: lowerEnum(SEVERITIES, 'a severity').default('critical'),
  quarantine_threshold: lowerEnum(SEVERITIES, 'a severity').default('high'),
  redact_secrets: z.boolean().default(true),
  /**
   * Playground extension: which of kavach 1.0's further scanners also run. kavach 0.22 has none;
   * 1.0 runs all three whenever a gate is set. Off unless listed.
   */
  extra_scanners: z.array(z.enum(EXTRA_SCANNERS, { error: `expected a scanner: one of ${EXTRA_SCANNERS.join(', ')}` }),
    { error: `expected a list of scanners (${EXTRA_SCANNERS.join(', ')})` }).default([]),
}));

const envPair = z.tuple([z.string(), z.string()]);
export const envSchema = z.union([
  z.array(envPair),
  z.record(z.string(), z.string()).transform((record) => Object.entries(record) as [string, string][]),
], { error: 'expected env as [["NAME", "value"], ...] or {"NAME": "value"}' });

/** A mount file's initial contents: UTF-8 text, or bytes as base64. */
export const fileContentsSchema = z.union([
  z.string(),
  z.object({ base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'expected base64 text' }) }),
], { error: 'expected file contents as a string or {"base64": "..."}' });

export const sandboxConfigSchema = z.object(described('', {
  backend: lowerEnum(BACKENDS, 'a kavach backend').default('wasm'),
  policy: sandboxPolicySchema.default(() => sandboxPolicySchema.parse({})),
  secrets: z.array(secretRefSchema).default([]),
  /** kavach: wall-clock timeout; 0 means none. Fuel defaults to timeout_ms x 1,000,000. */
  timeout_ms: z.number({ error: 'expected a timeout in milliseconds (0 = none)' })
    .int({ error: 'expected a timeout in whole milliseconds (0 = none)' })
    .min(0, { error: 'expected a timeout in milliseconds (0 = none)' })
    .default(10_000),
  env: envSchema.default([]),
  workdir: z.string().nullable().default(null),
  agent_id: z.string().nullable().default(null),
  /**
   * The output gate. null is kavach's "no gate" (the default of its SandboxConfig, which always
   * writes the field); a document without the field gets the playground's default gate, with
   * kavach's own default thresholds.
   */
  externalization: externalizationSchema.nullable().default(() => externalizationSchema.parse({})),
  /** kavach 1.0's composite backend; kept for kavach, it changes nothing here. */
  inner_backend: lowerEnum(BACKENDS, 'a kavach backend').nullable().default(null),
  // ---- playground extensions (kavach ignores unknown fields, so documents stay portable) ----
  /** Arguments after argv[0] (argv[0] is the module's name). */
  args: z.array(z.string(), { error: 'expected a list of strings' }).default([]),
  /** Text fed to the module's stdin; null = empty stdin. */
  stdin: z.string().nullable().default(null),
  /** Fuel budget; null = derived from timeout_ms as kavach does (timeout_ms x 1,000,000). */
  fuel: z.number({ error: 'expected a fuel budget (a positive whole number) or null' })
    .int({ error: 'expected a fuel budget (a positive whole number) or null' })
    .positive({ error: 'expected a fuel budget (a positive whole number) or null' })
    .nullable().default(null),
  /** Bytes of stdout + stderr kept; the rest is cut and the cut reported. */
  max_output_bytes: z.number({ error: 'expected a byte count (a positive whole number)' })
    .int().positive({ error: 'expected a byte count (a positive whole number)' })
    .default(1024 * 1024),
  /**
   * A reproducible run: a virtual clock starting at clock_start_ms (ms since the epoch) and
   * advancing clock_step_ns on every read (sleeps jump it forward), and random bytes from
   * random_seed. null = the real clock and real entropy.
   */
  deterministic: z.object(described('deterministic.', {
    clock_start_ms: z.number({ error: 'expected a start time in ms since 1970-01-01 UTC' }).int().min(0).default(946_684_800_000),
    clock_step_ns: z.number({ error: 'expected a clock step in nanoseconds (> 0)' }).int().positive({ error: 'expected a clock step in nanoseconds (> 0)' }).default(1_000_000),
    random_seed: z.number({ error: 'expected a whole-number seed (0 - 4294967295)' }).int().min(0).max(0xffffffff).default(1),
  })).nullable().default(null),
  /**
   * What the in-memory filesystem may hold, all mounts together; a null field takes its default
   * (max_bytes: the memory cap when one is set, else the host's default; max_file_bytes:
   * max_bytes, at most 1 GiB; max_inodes: 100,000).
   */
  filesystem: z.object(described('filesystem.', {
    max_bytes: optionalPositiveInt('a byte count'),
    max_inodes: optionalPositiveInt('a count of files, directories and links'),
    max_file_bytes: optionalPositiveInt('a byte count'),
  })).nullable().default(null),
  /** Initial contents of the mounts, by absolute guest path. Directories end with "/". */
  files: z.record(guestPath, fileContentsSchema).default({}),
}));

export type SandboxPolicy = z.output<typeof sandboxPolicySchema>;
export type SandboxConfig = z.output<typeof sandboxConfigSchema>;
export type SandboxConfigInput = z.input<typeof sandboxConfigSchema>;
export type SecretRef = z.output<typeof secretRefSchema>;
export type InjectionMethod = z.output<typeof injectionSchema>;
export type ExternalizationPolicy = z.output<typeof externalizationSchema>;
export type FileContents = z.output<typeof fileContentsSchema>;

/** JSON Schema of the whole document, for the policy editor. */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sandboxConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
