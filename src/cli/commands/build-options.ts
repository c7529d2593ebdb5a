/** Compiler options on a command line (`kavach build`, and `kavach run` given a source). */
import { checkFlags, defaultFlags, languageOf, OPTIMIZATIONS, type BuildFlags, type Optimization } from '../../core/index.ts';

export class BuildUsageError extends Error {}

/** Build options as given on a command line, before the source's language is known. */
export interface BuildOptions {
  optimization: Optimization | null;
  cxx: boolean;
  standard: string | null;
  extra: string[];
}

export const noBuildOptions = (): BuildOptions => ({ optimization: null, cxx: false, standard: null, extra: [] });

/** Take `arg` (and, for `--std STD`, the next one) as a build option; false when it is not one. */
export function takeBuildOption(arg: string, next: () => string | undefined, into: BuildOptions): boolean {
  if ((OPTIMIZATIONS as readonly string[]).includes(arg)) into.optimization = arg as Optimization;
  else if (arg === '--cxx') into.cxx = true;
  else if (arg.startsWith('--std=') || arg.startsWith('-std=')) into.standard = arg.slice(arg.indexOf('=') + 1);
  else if (arg === '--std') {
    const v = next();
    if (v === undefined) throw new BuildUsageError('--std needs a value');
    into.standard = v;
  } else if (/^-(W|D|U|f|m|g)./.test(arg) || arg === '-g' || arg === '-s') into.extra.push(arg);
  else return false;
  return true;
}

export function hasBuildOptions(options: BuildOptions): boolean {
  return options.optimization !== null || options.cxx || options.standard !== null || options.extra.length > 0;
}

/** The flags for a source file: its language by extension (or C++ with --cxx), then the options. */
export function flagsFor(sourceName: string, options: BuildOptions): BuildFlags {
  const named = languageOf(sourceName);
  if (named === null) throw new BuildUsageError(`${sourceName}: not a source file this can build (expected .c, .cc, .cpp, .cxx or .wat)`);
  if (named === 'wat' && hasBuildOptions(options)) throw new BuildUsageError(`${sourceName}: WebAssembly text takes no compiler options`);
  const language = options.cxx ? 'c++' : named;
  const flags: BuildFlags = { ...defaultFlags(language, options.optimization ?? '-O0'), extra: options.extra };
  if (options.standard !== null) flags.standard = options.standard;
  const checked = checkFlags(flags);
  if (!checked.ok) throw new BuildUsageError(checked.message.replace(/^flags\.standard: /, '--std: ').replace(/^flags\.extra\.\d+: /, 'compiler option: '));
  return checked.flags;
}

