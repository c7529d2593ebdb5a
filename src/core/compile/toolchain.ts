/**
 * The compilers, loaded on first use: Clang and LLD built for WebAssembly (@yowasp/clang, a
 * jco-transpiled component that fetches its core modules and its sysroot by URL beside its own
 * script) and wabt for WebAssembly text. The same code runs in a browser worker (the bundler
 * rewrites those URLs into the site's own files) and in Node (file: URLs into node_modules).
 * Nothing here is imported until a build asks for it.
 */
import { concatBytes } from '../util/bytes.ts';

/** The exact @yowasp/clang version this build pins (package.json); a link names it. */
export const CLANG_VERSION = '22.0.0-git20542-10';
/** What a build's bytes depend on besides the source and flags. */
export const COMPILER_ID = `clang ${CLANG_VERSION} (@yowasp/clang)`;
/** The exact wabt version (package.json) that assembles WebAssembly text. */
export const WABT_VERSION = '1.0.39';
export const WAT_COMPILER_ID = `wat2wasm ${WABT_VERSION} (wabt)`;

export type ToolchainProgress =
  /** Fetching the compiler's files: bytes so far of about `total` (uncompressed). */
  | { stage: 'download'; done: number; total: number }
  /** Compiling the compiler's own WebAssembly (after the download, or from the cache). */
  | { stage: 'prepare' }
  | { stage: 'compile' };

type Tree = { [name: string]: Tree | string | Uint8Array };
interface RunOptions {
  stdout?: ((bytes: Uint8Array | null) => void) | null;
  stderr?: ((bytes: Uint8Array | null) => void) | null;
  decodeASCII?: boolean;
  fetchProgress?: (event: { totalLength: number; doneLength: number }) => void;
}
type YowaspCommand = (args?: string[] | null, files?: Tree, options?: RunOptions) => Promise<Tree | undefined> | Tree | undefined;
interface YowaspClang {
  runLLVM: YowaspCommand;
  commands: { clang: YowaspCommand; 'clang++': YowaspCommand };
  version: string;
  Exit: new (...args: never[]) => Error & { code: number; files: Tree };
}

/** What a compiler run gives back: the files it left (by name) or its exit code, and its messages. */
export interface ToolRun {
  ok: boolean;
  /** The output file's bytes, when it exists. */
  output: Uint8Array | null;
  log: string;
}

export interface Toolchain {
  /** Run clang or clang++ with `argv` (argv[0] the tool) on one source file in an empty directory. */
  clang(argv: string[], fileName: string, text: string, outName: string): Promise<ToolRun>;
  /** Assemble WebAssembly text. */
  wat(fileName: string, text: string): Promise<ToolRun>;
}

let clangModule: Promise<YowaspClang> | null = null;

/**
 * Load @yowasp/clang and fetch its resources (about 27 MB compressed, 105 MB unpacked), reporting
 * the download. Once per process or worker; a failed load is tried again next time.
 */
export function loadClang(onProgress?: (p: ToolchainProgress) => void): Promise<YowaspClang> {
  clangModule ??= (async () => {
    const yowasp = (await import('@yowasp/clang')) as unknown as YowaspClang;
    // runLLVM with no arguments only fetches and compiles the resources; the first build would
    // otherwise fetch them without reporting progress.
    await yowasp.runLLVM(null, {}, {
      fetchProgress: ({ doneLength, totalLength }) => {
        onProgress?.(doneLength >= totalLength ? { stage: 'prepare' } : { stage: 'download', done: doneLength, total: totalLength });
      },
    });
    return yowasp;
  })().catch((e: unknown) => {
    clangModule = null;
    throw e;
  });
  return clangModule;
}

export async function clangToolchainRun(
  argv: string[], fileName: string, text: string, outName: string, onProgress?: (p: ToolchainProgress) => void,
): Promise<ToolRun> {
  const yowasp = await loadClang(onProgress);
  onProgress?.({ stage: 'compile' });
  const chunks: Uint8Array[] = [];
  const collect = (bytes: Uint8Array | null) => {
    if (bytes !== null) chunks.push(bytes.slice());
  };
  const [tool, ...args] = argv;
  const command = tool === 'clang++' ? yowasp.commands['clang++'] : yowasp.commands.clang;
  let files: Tree | undefined;
  let ok = true;
  try {
    files = (await command(args, { [fileName]: text }, { stdout: collect, stderr: collect, decodeASCII: false })) ?? undefined;
  } catch (e) {
    if (!(e instanceof yowasp.Exit)) throw e;
    ok = false;
  }
  const log = new TextDecoder().decode(concatBytes(chunks));
  const output = files?.[outName];
  return { ok: ok && output instanceof Uint8Array, output: output instanceof Uint8Array ? output : null, log };
}

interface Wabt {
  parseWat(name: string, text: string): { toBinary(o: object): { buffer: Uint8Array }; destroy(): void; validate(): void };
}
let wabtModule: Promise<Wabt> | null = null;

export async function watToolchainRun(fileName: string, text: string): Promise<ToolRun> {
  wabtModule ??= import('wabt').then((m) => (m.default as unknown as () => Promise<Wabt>)());
  const wabt = await wabtModule;
  let module: ReturnType<Wabt['parseWat']> | null = null;
  try {
    module = wabt.parseWat(fileName, text);
    module.validate();
    return { ok: true, output: module.toBinary({}).buffer.slice(), log: '' };
  } catch (e) {
    return { ok: false, output: null, log: e instanceof Error ? e.message : String(e) };
  } finally {
    module?.destroy();
  }
}

/** The toolchain as a build uses it, reporting the compiler's download to `onProgress`. */
export function toolchain(onProgress?: (p: ToolchainProgress) => void): Toolchain {
  return {
    clang: (argv, fileName, text, outName) => clangToolchainRun(argv, fileName, text, outName, onProgress),
    wat: watToolchainRun,
  };
}

