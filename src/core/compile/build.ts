/**
 * One build: a source file and its flags in, a WebAssembly module (with its SHA-256) or the
 * compiler's messages out. Errors are values; nothing here throws for a bad source or bad flags.
 */
import { sha256Hex } from '../util/hash.ts';
import { parseDiagnostics, type Diagnostic } from './diagnostics.ts';
import { checkFlags, compilerArgv, languageOf, outputName, SOURCE_EXTENSIONS, type BuildFlags } from './flags.ts';
import { COMPILER_ID, WAT_COMPILER_ID, type Toolchain } from './toolchain.ts';

/** Largest source a build takes: 1 MiB, far beyond a program written in a playground. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

export interface BuildRequest {
  /** The source's file name, e.g. "hello.c"; its extension must fit the language. */
  fileName: string;
  text: string;
  flags: BuildFlags;
}

export type BuildResult =
  | {
    ok: true;
    /** The module's file name, e.g. "hello.wasm". */
    name: string;
    wasm: Uint8Array;
    sha256: string;
    /** Warnings and notes (a successful build has no errors). */
    diagnostics: Diagnostic[];
    log: string;
    compiler: string;
    durationMs: number;
  }
  | {
    ok: false;
    /** compile_error: the source does not build (see diagnostics); bad_request: the file name or flags; toolchain: the compiler could not be loaded or run. */
    kind: 'compile_error' | 'bad_request' | 'toolchain';
    message: string;
    diagnostics: Diagnostic[];
    log: string;
  };

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$/;

/** Why a request cannot be built, or null when it can. */
export function checkRequest(request: BuildRequest): string | null {
  if (!FILE_NAME.test(request.fileName)) return `"${request.fileName}" is not a plain source file name (letters, digits, "_", "-", "+" and ".")`;
  const flags = checkFlags(request.flags);
  if (!flags.ok) return flags.message;
  const named = languageOf(request.fileName);
  // A C file may be built as C++ (kavach build --cxx); WebAssembly text is only ever assembled.
  if (named === null || (named === 'wat') !== (request.flags.language === 'wat') || (named === 'c++' && request.flags.language === 'c')) {
    return `${request.fileName} is not a ${request.flags.language} file name (expected ${SOURCE_EXTENSIONS[request.flags.language].join(', ')})`;
  }
  if (new TextEncoder().encode(request.text).length > MAX_SOURCE_BYTES) return `the source is larger than ${MAX_SOURCE_BYTES / 1024} KiB`;
  return null;
}

export async function buildSource(tools: Toolchain, request: BuildRequest): Promise<BuildResult> {
  const bad = checkRequest(request);
  if (bad !== null) return { ok: false, kind: 'bad_request', message: bad, diagnostics: [], log: '' };
  const started = performance.now();
  const { fileName, text, flags } = request;
  const name = outputName(fileName);
  let run;
  try {
    run = flags.language === 'wat' ? await tools.wat(fileName, text) : await tools.clang(compilerArgv(fileName, flags), fileName, text, name);
  } catch (e) {
    return { ok: false, kind: 'toolchain', message: `the compiler could not be loaded or run: ${e instanceof Error ? e.message : String(e)}`, diagnostics: [], log: '' };
  }
  const diagnostics = parseDiagnostics(run.log, fileName, text);
  if (!run.ok || run.output === null) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const where = first?.line != null ? ` (line ${first.line}${first.column != null ? `, column ${first.column}` : ''}: ${first.message})` : first ? ` (${first.message})` : '';
    const count = errors.length === 0 ? 'the compiler failed' : `${errors.length} error${errors.length === 1 ? '' : 's'}`;
    return { ok: false, kind: 'compile_error', message: `${fileName} did not build: ${count}${where}`, diagnostics, log: run.log };
  }
  return {
    ok: true,
    name,
    wasm: run.output,
    sha256: await sha256Hex(run.output),
    diagnostics,
    log: run.log,
    compiler: flags.language === 'wat' ? WAT_COMPILER_ID : COMPILER_ID,
    durationMs: performance.now() - started,
  };
}
