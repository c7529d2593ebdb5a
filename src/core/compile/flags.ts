/**
 * What a build is asked to do: the source's language, the optimisation level, the language
 * standard and a few further flags, and the compiler command line they make. The same flags give
 * the same command line everywhere (the page, the CLI, a share link), so the same source, flags
 * and compiler version give the same bytes.
 */
import * as z from '../zod.ts';

export const SOURCE_LANGUAGES = ['c', 'c++', 'wat'] as const;
export type SourceLanguage = (typeof SOURCE_LANGUAGES)[number];

export const OPTIMIZATIONS = ['-O0', '-O1', '-O2', '-O3', '-Os', '-Oz'] as const;
export type Optimization = (typeof OPTIMIZATIONS)[number];

/** The standards offered for each language; WebAssembly text has none. */
export const STANDARDS: Readonly<Record<SourceLanguage, readonly string[]>> = {
  c: ['c99', 'c11', 'c17', 'c23', 'gnu99', 'gnu11', 'gnu17', 'gnu23'],
  'c++': ['c++11', 'c++14', 'c++17', 'c++20', 'c++23', 'gnu++17', 'gnu++20', 'gnu++23'],
  wat: [],
};

/**
 * Clang's own defaults, written out so the command line shows them. The GNU dialects declare
 * POSIX functions (nanosleep, clock_gettime) that strict ISO C hides.
 */
export const DEFAULT_STANDARD: Readonly<Record<SourceLanguage, string | null>> = { c: 'gnu17', 'c++': 'gnu++17', wat: null };

export interface BuildFlags {
  language: SourceLanguage;
  optimization: Optimization;
  /** -std=..., one of STANDARDS[language]; null for the compiler's default (and for WAT). */
  standard: string | null;
  /** Further flags: warnings (-W...), defines (-D/-U), code generation (-f/-m), -g, -s and linker flags (-Wl,...). */
  extra: string[];
}

/** A source's file name: a plain name whose extension says the language. */
export const SOURCE_EXTENSIONS: Readonly<Record<SourceLanguage, readonly string[]>> = {
  c: ['.c'],
  'c++': ['.cc', '.cpp', '.cxx', '.c++'],
  wat: ['.wat'],
};

/** The language a file name's extension names, or null. */
export function languageOf(fileName: string): SourceLanguage | null {
  const lower = fileName.toLowerCase();
  for (const language of SOURCE_LANGUAGES) if (SOURCE_EXTENSIONS[language].some((e) => lower.endsWith(e))) return language;
  return null;
}

export function defaultFlags(language: SourceLanguage, optimization: Optimization = '-O2'): BuildFlags {
  return { language, optimization, standard: DEFAULT_STANDARD[language], extra: language === 'wat' ? [] : ['-Wall'] };
}

/** At most this many further flags, each at most EXTRA_FLAG_MAX_CHARS: far beyond any real build. */
export const EXTRA_FLAGS_MAX = 16;
export const EXTRA_FLAG_MAX_CHARS = 200;
/**
 * Further flags may only change warnings, defines, code generation, debug info and the link: none
 * can name another output, another target, another input or a file of the host.
 */
const EXTRA_FLAG = /^(-W[A-Za-z0-9][\w=,.+:\-]*|-[DU][A-Za-z_][\w=.+:\-]*|-f[a-z][\w=,.+\-]*|-m[a-z][\w=,.+\-]*|-g[\w=-]*|-s)$/;
const EXTRA_FLAG_RULE = 'a warning (-W...), define (-D/-U...), code generation (-f.../-m...), debug (-g...), -s or linker (-Wl,...) flag';

let schema: ReturnType<typeof makeSchema> | null = null;

/**
 * The flags' schema, made on first use: the page's first load checks no flags, and zod's builders
 * would otherwise run (and be kept) at every start.
 */
export function buildFlagsSchema() {
  schema ??= makeSchema();
  return schema;
}

function makeSchema() {
  return z.strictObject({
    language: z.enum(SOURCE_LANGUAGES, { error: 'expected the language "c", "c++" or "wat"' }),
    optimization: z.enum(OPTIMIZATIONS, { error: `expected an optimisation level: ${OPTIMIZATIONS.join(', ')}` }),
    standard: z.string({ error: 'expected a language standard such as "c17", or null' }).nullable(),
    extra: z.array(
      z.string({ error: `expected ${EXTRA_FLAG_RULE}` })
        .max(EXTRA_FLAG_MAX_CHARS, { error: `expected a flag of at most ${EXTRA_FLAG_MAX_CHARS} characters` })
        .regex(EXTRA_FLAG, { error: `expected ${EXTRA_FLAG_RULE}` }),
      { error: 'expected a list of flags' },
    ).max(EXTRA_FLAGS_MAX, { error: `expected at most ${EXTRA_FLAGS_MAX} further flags` }),
  }).superRefine((flags, ctx) => {
    if (flags.standard !== null && !STANDARDS[flags.language].includes(flags.standard)) {
      const offered = STANDARDS[flags.language];
      ctx.addIssue({
        code: 'custom',
        path: ['standard'],
        message: offered.length === 0 ? `expected no standard for ${flags.language}` : `expected one of ${offered.join(', ')} for ${flags.language}`,
      });
    }
  });
}

export type FlagsCheck = { ok: true; flags: BuildFlags } | { ok: false; message: string };

/** Check flags from anywhere (a form, a link, the command line); the message names what is wrong. */
export function checkFlags(input: unknown): FlagsCheck {
  const parsed = buildFlagsSchema().safeParse(input);
  if (parsed.success) return { ok: true, flags: parsed.data };
  const issue = parsed.error.issues[0];
  const at = issue.path.length > 0 ? `flags.${issue.path.join('.')}: ` : 'flags: ';
  return { ok: false, message: at + issue.message };
}

/** Split a line of further flags as typed ("-Wall -DX=1") into flags. */
export function splitFlags(text: string): string[] {
  return text.split(/\s+/).filter((f) => f !== '');
}

/** The file a build writes: the source's name with ".wasm" for its extension. */
export function outputName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return `${dot > 0 ? fileName.slice(0, dot) : fileName}.wasm`;
}

/** The compiler and its arguments for a build, as run (argv[0] first). */
export function compilerArgv(fileName: string, flags: BuildFlags): string[] {
  const out = outputName(fileName);
  if (flags.language === 'wat') return ['wat2wasm', fileName, '-o', out];
  return [
    flags.language === 'c++' ? 'clang++' : 'clang',
    '--target=wasm32-wasip1',
    flags.optimization,
    ...(flags.standard === null ? [] : [`-std=${flags.standard}`]),
    // Diagnostics are read back line by line; C++ exceptions need a runtime WASI preview1 lacks.
    '-fno-color-diagnostics',
    ...(flags.language === 'c++' ? ['-fno-exceptions'] : []),
    ...flags.extra,
    '-o', out,
    // C++ asked of a ".c" file: say so, or clang++ warns that reading it as C++ is deprecated.
    ...(flags.language === 'c++' && languageOf(fileName) !== 'c++' ? ['-x', 'c++'] : []),
    fileName,
  ];
}

/** The command line a person would type for a build. */
export function commandLine(fileName: string, flags: BuildFlags): string {
  return compilerArgv(fileName, flags).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
