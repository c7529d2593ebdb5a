/**
 * Policy import and export: kavach's SandboxConfig / SandboxPolicy JSON exactly as serde writes
 * them, a `wasmtime run` command line, an Extism manifest, Deno and Node permission flags (an
 * analogy, export only), and the playground's own document. Every export lists what its format
 * cannot express; `importAny` detects the format of pasted text.
 */
export {
  DEFAULT_MODULE_NAME, EXPORT_FORMATS, FORMAT_LABELS,
  type ExportFormat, type ExportOptions, type ExportResult, type ImportedModule, type ImportFormat, type ImportResult,
} from './types.ts';
export { detectFormat, exportAs, importAny, type DetectedFormat } from './detect.ts';
export { exportKavachConfig, exportKavachPolicy, exportPlayground, importKavach } from './kavach.ts';
export { exportWasmtime, importWasmtime } from './wasmtime.ts';
export { exportExtism, importExtism } from './extism.ts';
export { exportDeno, exportNode } from './analogy.ts';
