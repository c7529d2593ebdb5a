/**
 * Building modules from source: C and C++ with Clang (@yowasp/clang, loaded on first build) and
 * WebAssembly text with wabt. The compilers themselves are imported only by toolchain.ts, and only
 * when a build needs them; the page builds in a worker (spawn-browser.ts), the CLI in-process.
 */
export {
  DEFAULT_STANDARD, EXTRA_FLAGS_MAX, OPTIMIZATIONS, SOURCE_EXTENSIONS, SOURCE_LANGUAGES, STANDARDS, buildFlagsSchema, checkFlags, commandLine,
  compilerArgv, defaultFlags, languageOf, outputName, splitFlags, type BuildFlags, type FlagsCheck, type Optimization, type SourceLanguage,
} from './flags.ts';
export { countDiagnostics, parseDiagnostics, type Diagnostic, type DiagnosticSeverity } from './diagnostics.ts';
export { MAX_SOURCE_BYTES, buildSource, checkRequest, type BuildRequest, type BuildResult } from './build.ts';
export { CLANG_VERSION, COMPILER_ID, WABT_VERSION, WAT_COMPILER_ID, type Toolchain, type ToolchainProgress } from './toolchain.ts';
export { Compiler, type CompileWorkerHandle, type SpawnCompileWorker } from './compiler.ts';
