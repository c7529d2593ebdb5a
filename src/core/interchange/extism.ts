/**
 * An Extism manifest: `wasm` (the module, with its hash when known), `allowed_paths` (host path,
 * prefixed `ro:` when read-only, to guest path), `memory.max_pages`, `timeout_ms`, and
 * `allowed_hosts` for the network policy's hosts. Extism has no environment, arguments, stdin or
 * fuel in its manifest: those are listed as lossy.
 */
import * as z from '../zod.ts';
import { fuelBudget, memoryCapMb } from '../policy/derive.ts';
import { describeIssues, formatPath, loadDocument } from '../policy/load.ts';
import type { SandboxConfig } from '../policy/schema.ts';
import { minimalDocument } from '../share/document.ts';
import { hostPlaceholder, unexpressed } from './lossy.ts';
import { DEFAULT_MODULE_NAME, type ExportOptions, type ExportResult, type ImportResult } from './types.ts';

const EXPRESSED = new Set(['policy.landlock_rules', 'policy.read_only_rootfs', 'policy.memory_limit_mb', 'timeout_ms', 'policy.network']);
const PAGES_PER_MIB = 16;
const q = (s: string) => JSON.stringify(s);

export function exportExtism(config: SandboxConfig, options: ExportOptions = {}): ExportResult {
  const lossy: string[] = [];
  const { policy } = config;
  const wasm: Record<string, string> = { path: options.moduleName ?? DEFAULT_MODULE_NAME };
  if (options.sha256) wasm.hash = options.sha256;
  const manifest: Record<string, unknown> = { wasm: [wasm] };
  const cap = memoryCapMb(config);
  if (cap !== null) manifest.memory = { max_pages: cap * PAGES_PER_MIB };
  if (cap !== policy.memory_limit_mb) {
    lossy.push(`policy.memory_limit_mb: ${policy.memory_limit_mb} MiB is more than wasm32 addresses; written as the cap in force, ${cap} MiB (${cap! * PAGES_PER_MIB} pages)`);
  }

  if (policy.landlock_rules.length > 0) {
    const paths: Record<string, string> = {};
    policy.landlock_rules.forEach((rule, i) => {
      const readOnly = rule.access !== 'rw' || policy.read_only_rootfs;
      paths[`${readOnly ? 'ro:' : ''}${hostPlaceholder(rule.path)}`] = rule.path;
      if (readOnly && rule.access !== 'ro') {
        const why = rule.access === 'rw' ? 'read_only_rootfs makes it read-only' : `${q(rule.access)} means read-only`;
        lossy.push(`policy.landlock_rules[${i}].access: ${why}; written as "ro:" and read back as "ro"`);
      }
    });
    manifest.allowed_paths = paths;
  }
  if (policy.read_only_rootfs) lossy.push('policy.read_only_rootfs: Extism has no such switch; every mount is written "ro:" instead');

  const { network } = policy;
  if (network.enabled) {
    // kavach: enabled with no hosts listed allows every host; Extism says that with "*".
    manifest.allowed_hosts = network.allowed_hosts.length > 0 ? network.allowed_hosts : ['*'];
    if (network.allowed_hosts.includes('*')) lossy.push('policy.network: the host "*" means every host to Extism, and reads back as an empty list');
    if (network.allowed_ports.length > 0) lossy.push(`policy.network: Extism's allowed_hosts have no ports (${network.allowed_ports.join(', ')} not kept)`);
  } else if (network.allowed_hosts.length > 0 || network.allowed_ports.length > 0) {
    lossy.push('policy.network: hosts and ports of a disabled network policy are not kept');
  }
  if (config.timeout_ms > 0) manifest.timeout_ms = config.timeout_ms;
  const fuel = fuelBudget(config);
  if (fuel !== null && config.fuel === null) {
    lossy.push(`fuel: Extism's manifest has no fuel budget (the playground derives ${fuel.toLocaleString('en-US')} from timeout_ms); only the wall-clock timeout_ms applies`);
  }
  lossy.push(...unexpressed(config, 'an Extism manifest', EXPRESSED));
  return { format: 'extism', text: JSON.stringify(manifest, null, 2), lossy, analogy: false };
}

const wasmSourceSchema = z.object({
  path: z.string().optional(),
  url: z.string().optional(),
  data: z.string().optional(),
  name: z.string().nullable().optional(),
  hash: z.string().nullable().optional(),
}).refine((w) => w.path !== undefined || w.url !== undefined || w.data !== undefined, { error: 'expected {"path": ...}, {"url": ...} or {"data": ...}' });

const manifestSchema = z.looseObject({
  wasm: z.array(wasmSourceSchema, { error: 'expected a list of modules' }).default([]),
  memory: z.looseObject({
    max_pages: z.number({ error: 'expected a page count (64 KiB each)' }).int().min(0, { error: 'expected a page count (64 KiB each)' }).max(65536, { error: 'expected at most 65536 pages (4 GiB)' }).nullable().optional(),
  }).nullable().optional(),
  allowed_paths: z.record(z.string(), z.string({ error: 'expected a guest path' }), { error: 'expected {"HOST": "GUEST", ...}' }).nullable().optional(),
  allowed_hosts: z.array(z.string(), { error: 'expected a list of host names' }).nullable().optional(),
  timeout_ms: z.number({ error: 'expected a timeout in milliseconds' }).int().min(0).nullable().optional(),
  config: z.record(z.string(), z.string()).optional(),
});

const KNOWN_KEYS = new Set(['wasm', 'memory', 'allowed_paths', 'allowed_hosts', 'timeout_ms', 'config']);

/** An Extism manifest (JSON text or a parsed value) as a playground document. */
export function importExtism(input: string | unknown): ImportResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, format: 'extism', message: `not valid JSON: ${(e as Error).message}`, issues: [] };
    }
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    return { ok: false, format: 'extism', message: `not a valid Extism manifest:\n${describeIssues(issues)}`, issues };
  }
  const m = parsed.data;
  const warnings: string[] = [];
  for (const key of Object.keys(m)) if (!KNOWN_KEYS.has(key)) warnings.push(`${key}: not an Extism manifest field this playground reads; ignored`);

  const rules = Object.entries(m.allowed_paths ?? {}).map(([host, guest]) => {
    const readOnly = host.startsWith('ro:');
    return { path: guest, access: readOnly ? 'ro' : 'rw' }; // a relative one as kavach takes it (the loader warns)
  });
  let memoryMb: number | null = null;
  const pages = m.memory?.max_pages ?? null;
  if (pages !== null) {
    memoryMb = pages === 0 ? 0 : Math.max(1, Math.floor(pages / PAGES_PER_MIB));
    if (pages % PAGES_PER_MIB !== 0) warnings.push(`memory.max_pages: ${pages} pages is not whole MiB; capped at ${memoryMb} MiB (${memoryMb * PAGES_PER_MIB} pages)`);
  }
  const hosts = m.allowed_hosts ?? [];
  const network = hosts.length === 0
    ? { enabled: false, allowed_hosts: [], allowed_ports: [] }
    : { enabled: true, allowed_hosts: hosts.includes('*') ? [] : hosts, allowed_ports: [] };
  if (hosts.length > 0) warnings.push('allowed_hosts: kept in the network policy, but WASI preview1 here has no sockets: the module gets no network');
  if (m.config && Object.keys(m.config).length > 0) warnings.push('config: Extism plugin settings are not environment variables; not imported');
  if (m.wasm.length > 1) warnings.push(`wasm: ${m.wasm.length} modules; only the first is named as the module`);

  const loaded = loadDocument({ policy: { landlock_rules: rules, memory_limit_mb: memoryMb, network }, timeout_ms: m.timeout_ms ?? 0 });
  if (!loaded.ok) return { ok: false, format: 'extism', message: `the manifest does not make a valid setup:\n${describeIssues(loaded.errors)}`, issues: loaded.errors };
  warnings.push(...loaded.warnings.filter((w) => w.path !== 'policy.network.enabled').map((w) => `${w.path}: ${w.message}`));

  const source = m.wasm[0];
  const location = source?.path ?? source?.url ?? null;
  const name = source?.name ?? (location === null ? 'module.wasm' : location.split(/[\\/]/).pop() || location);
  const sha256 = source?.hash && /^[0-9a-f]{64}$/i.test(source.hash) ? source.hash.toLowerCase() : null;
  return {
    ok: true,
    format: 'extism',
    document: minimalDocument(loaded.config),
    config: loaded.config,
    warnings,
    kavachReadsOtherwise: [],
    module: source === undefined ? null : { kind: 'named', name, path: location ?? '(inline data)', sha256 },
  };
}
