/** The paste-or-drop box: tell which format a text is in, and import it. */
import { decodeShareLink } from '../share/link.ts';
import { sandboxConfigSchema, sandboxPolicySchema, type SandboxConfig } from '../policy/schema.ts';
import { exportDeno, exportNode } from './analogy.ts';
import { exportExtism, importExtism } from './extism.ts';
import { exportKavachConfig, exportKavachPolicy, exportPlayground, importKavach } from './kavach.ts';
import { tokenize } from './shell-words.ts';
import type { ExportFormat, ExportOptions, ExportResult, ImportFormat, ImportResult } from './types.ts';
import { exportWasmtime, importWasmtime } from './wasmtime.ts';

export type DetectedFormat = ImportFormat | 'deno' | 'node';

const EXTISM_KEYS = ['wasm', 'allowed_paths', 'allowed_hosts', 'memory', 'config'];
const KAVACH_KEYS = new Set([...Object.keys(sandboxConfigSchema.shape), ...Object.keys(sandboxPolicySchema.shape)]);
const SHARE_LINK = /^(?:[a-z][a-z0-9+.-]*:\/\/\S*)?#?v\d+\.[A-Za-z0-9_-]+$/i;

/** The format of pasted or dropped text, or null when it is none this playground reads. */
export function detectFormat(text: string): DetectedFormat | null {
  const t = text.trim();
  if (t === '') return null;
  if (t.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      return 'playground'; // JSON-looking but broken: the document importer explains where
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'playground';
    const keys = Object.keys(value);
    if (keys.some((k) => EXTISM_KEYS.includes(k)) && !keys.some((k) => KAVACH_KEYS.has(k) && k !== 'timeout_ms')) return 'extism';
    const imported = importKavach(value);
    return imported.ok ? imported.format : 'playground';
  }
  if (SHARE_LINK.test(t)) return 'share-link';
  const words = tokenize(t);
  if (!words.ok) return null;
  const program = words.tokens.find((w) => w.kind === 'word');
  const name = program?.kind === 'word' ? program.text.split(/[\\/]/).pop() : undefined;
  if (name === 'wasmtime' || name === 'wasmtime.exe') return 'wasmtime';
  if (name === 'deno') return 'deno';
  if (name === 'node') return 'node';
  return null;
}

const ACCEPTED = 'a kavach SandboxPolicy or SandboxConfig (JSON), a playground document, a `wasmtime run` command line, an Extism manifest, or a share link';

/** Detect the format and import it. Never throws. */
export async function importAny(text: string): Promise<ImportResult> {
  const format = detectFormat(text);
  switch (format) {
    case null:
      return { ok: false, format: null, message: `not a format this playground reads; paste ${ACCEPTED}`, issues: [] };
    case 'deno': case 'node':
      return {
        ok: false, format,
        message: `${format === 'deno' ? 'Deno' : 'Node'} permission flags are exported as an analogy only and cannot be imported: they describe a JavaScript program's host access, not a WASI sandbox`,
        issues: [],
      };
    case 'wasmtime': return importWasmtime(text);
    case 'extism': return importExtism(text.trim());
    case 'share-link': {
      const decoded = await decodeShareLink(text.trim());
      if (!decoded.ok) return { ok: false, format, message: decoded.message, issues: decoded.issues };
      const { setup } = decoded;
      return {
        ok: true, format, document: setup.document, config: setup.config, module: setup.module, kavachReadsOtherwise: [],
        warnings: decoded.warnings.map((w) => `${w.path}: ${w.message}`),
      };
    }
    default: {
      const imported = importKavach(text.trim());
      return imported.ok ? imported : { ...imported, format };
    }
  }
}

const EXPORTERS: Readonly<Record<ExportFormat, (config: SandboxConfig, options: ExportOptions) => ExportResult>> = {
  kavach: exportKavachConfig,
  'kavach-policy': exportKavachPolicy,
  wasmtime: exportWasmtime,
  extism: exportExtism,
  deno: exportDeno,
  node: exportNode,
  playground: exportPlayground,
};

/** Export a loaded config in any format (the Export menu). */
export function exportAs(format: ExportFormat, config: SandboxConfig, options: ExportOptions = {}): ExportResult {
  return EXPORTERS[format](config, options);
}
