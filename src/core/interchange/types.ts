/** What every export and import returns. */
import type { PolicyIssue } from '../policy/load.ts';
import type { SandboxConfig, SandboxConfigInput } from '../policy/schema.ts';
import type { ModuleRef } from '../share/module-ref.ts';

export const EXPORT_FORMATS = ['kavach', 'kavach-policy', 'wasmtime', 'extism', 'deno', 'node', 'playground'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Menu labels; the analogies say so in their label. */
export const FORMAT_LABELS: Readonly<Record<ExportFormat | 'share-link', string>> = {
  kavach: 'kavach SandboxConfig (JSON)',
  'kavach-policy': 'kavach SandboxPolicy (JSON)',
  wasmtime: 'wasmtime run command line',
  extism: 'Extism manifest (JSON)',
  deno: 'Deno permission flags (analogy only)',
  node: 'Node permission flags (analogy only)',
  playground: 'Playground document (JSON)',
  'share-link': 'share link',
};

export interface ExportOptions {
  /** The module's file name, for formats that name it (wasmtime, Extism). Default "module.wasm". */
  moduleName?: string;
  /** The module's SHA-256 (lowercase hex), for Extism's hash check. */
  sha256?: string | null;
}

export interface ExportResult {
  format: ExportFormat;
  text: string;
  /**
   * What the format cannot express, one item each, as "field path: what and why". Everything
   * the setup holds is either in `text` or listed here.
   */
  lossy: string[];
  /** True for Deno and Node: they describe host permissions, not this sandbox. */
  analogy: boolean;
}

export type ImportFormat = 'kavach' | 'kavach-policy' | 'playground' | 'wasmtime' | 'extism' | 'share-link';

/** A module an imported setup names: a share link's reference, or a path from a command line or manifest. */
export type ImportedModule = ModuleRef | { kind: 'named'; name: string; path: string; sha256: string | null };

export type ImportResult =
  | {
    ok: true;
    format: ImportFormat;
    /** The smallest playground document for the setup, for the editor. */
    document: SandboxConfigInput;
    config: SandboxConfig;
    /** Things read but changed or left out, as "where: what". */
    warnings: string[];
    /**
     * For a kavach document, where kavach would read it otherwise: fields left out whose default
     * differs here, values kavach means otherwise (kavach.ts kavachReadsOtherwise); else empty.
     */
    kavachReadsOtherwise: string[];
    module: ImportedModule | null;
  }
  | { ok: false; format: ImportFormat | 'deno' | 'node' | null; message: string; issues: PolicyIssue[] };

export const DEFAULT_MODULE_NAME = 'module.wasm';
