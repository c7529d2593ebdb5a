/**
 * `kavach build [options] prog.c [-o prog.wasm]`: the page's compiler (Clang for WebAssembly,
 * @yowasp/clang) in Node, in memory: it sees only the one source file, never the host's files.
 * `kavach run prog.c` builds the same way before it runs. The compiler is loaded only here.
 */
import { basename, resolve } from 'node:path';
import { buildSource, outputName, toolchain, type BuildResult } from '../../core/node.ts';
import { EXIT_BAD_INPUT, EXIT_OK, type CliIO, type Command } from '../io.ts';
import { HostFileError, MAX_TEXT_BYTES, checkWritable, readHostFile, writeHostFile } from '../host-files.ts';
import { BuildUsageError, flagsFor, noBuildOptions, takeBuildOption, type BuildOptions } from './build-options.ts';
import { parseCommand } from './common.ts';
import { raiseWasmTieringBudget } from '../wasm-tiering.cjs';

export const HELP = `usage: kavach build [options] SOURCE [-o OUT.wasm]

Builds a WASI preview1 module from C (.c), C++ (.cc .cpp .cxx) or WebAssembly text (.wat) with the
compiler the playground uses in the page (clang for wasm32-wasip1 with its own wasi-libc and libc++,
run as WebAssembly in this process; wat2wasm for .wat). The compiler sees only the source file.

  -o FILE          where to write the module (default: SOURCE's name with .wasm, here)
  -O0 -O1 -O2 -O3 -Os -Oz
                   optimisation (default -O0, as clang; the page builds with -O2)
  --cxx            build a .c file as C++ (clang++)
  --std=STD        the language standard (default gnu17, or gnu++17 for C++)
  -W... -D... -U... -f... -m... -g -s -Wl,...
                   passed to clang: warnings, defines, code generation, debug info, linker flags
  -h, --help       this text

The compiler's messages go to stderr as it writes them, then one line with the module's size and
SHA-256. The same source, flags and compiler version give the same bytes, here and in the page.

Exit status: 0 when built; 2 for bad input or a source that does not build.
`;

/**
 * Read and build a source file. The compiler's messages go to stderr as clang prints them; a
 * source that does not build is a BuildUsageError with the one-line summary.
 */
export async function buildFile(path: string, options: BuildOptions, io: CliIO): Promise<Extract<BuildResult, { ok: true }>> {
  const fileName = basename(path);
  const flags = flagsFor(fileName, options);
  const text = new TextDecoder().decode(readHostFile(resolve(io.cwd, path), 'source', MAX_TEXT_BYTES, path));
  // The compiler is a large WebAssembly program run once: the CLI's tiering budget suits it.
  raiseWasmTieringBudget();
  const result = await buildSource(toolchain(), { fileName, text, flags });
  if (result.log !== '') io.stderr(result.log.endsWith('\n') ? result.log : `${result.log}\n`);
  if (!result.ok) throw new BuildUsageError(result.kind === 'compile_error' ? result.message : `${fileName}: ${result.message}`);
  return result;
}

export function describeBuild(result: Extract<BuildResult, { ok: true }>, where: string): string {
  return `built ${where} (${result.wasm.length.toLocaleString('en-US')} bytes, sha256 ${result.sha256}) with ${result.compiler} in ${(result.durationMs / 1000).toFixed(1)} s`;
}

export const run: Command = async (argv, io) => {
  const options = noBuildOptions();
  const fail = (message: string) => {
    io.stderr(`kavach build: ${message}\n`);
    return EXIT_BAD_INPUT;
  };
  const parsed = parseCommand(argv, io, 'build', HELP, { output: { type: 'string', short: 'o' } }, {
    oneLine: true,
    other: (arg, next) => (takeBuildOption(arg, next, options) ? [] : null),
  });
  if (typeof parsed === 'number') return parsed;
  const [source, extra] = parsed.positionals;
  if (source === undefined) return fail('no source file given');
  if (extra !== undefined) return fail(`unexpected argument ${extra} (one source file at a time)`);
  const output = parsed.values.output ?? null;
  try {
    const target = resolve(io.cwd, output ?? outputName(basename(source)));
    checkWritable(target, 'the module');
    const built = await buildFile(source, options, io);
    writeHostFile(target, built.wasm, 'the module');
    io.stderr(`kavach: ${describeBuild(built, output ?? outputName(basename(source)))}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof BuildUsageError || e instanceof HostFileError) return fail(e.message);
    throw e;
  }
};
