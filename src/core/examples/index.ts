/**
 * The bundled example modules, as data: what each one is, where its bytes and source are, and a
 * policy document that shows it off. No DOM, no fetching: the page (or a test) resolves the paths.
 */
import type { SandboxConfigInput } from '../policy/schema.ts';
import { defaultFlags, type BuildFlags } from '../compile/flags.ts';

export interface Example {
  /** The module's file name without ".wasm"; also argv[0]'s stem. */
  id: string;
  title: string;
  /** One line: what running it shows. */
  summary: string;
  /** Path of the module relative to the site root, e.g. "examples/hello.wasm". */
  wasm: string;
  /** Path of the source relative to the repository root (C, or WebAssembly text where the calls matter more than a program). */
  source: string;
  /** The policy document loaded with the example. */
  policy: SandboxConfigInput;
  /** How the page and the CLI build the source (examples/build.sh's flags, with wasm32-wasip1). */
  flags: BuildFlags;
}

const INPUT_TEXT = 'first line of input.txt\nsecond line\n';

/** examples/build.sh builds every C example with -O2 -Wall -Wextra, and some with more. */
const C_FLAGS: BuildFlags = { ...defaultFlags('c'), extra: ['-Wall', '-Wextra'] };
const EXTRA_FLAGS: Readonly<Record<string, string[]>> = {
  // An 8 MiB shadow stack, first in memory: the run ends in a real call-stack overflow (build.sh).
  recursion: ['-Wl,--stack-first', '-Wl,-z,stack-size=8388608'],
};

const define = (id: string, title: string, summary: string, policy: SandboxConfigInput, language: 'c' | 'wat' = 'c'): Example => ({
  id,
  title,
  summary,
  wasm: `examples/${id}.wasm`,
  source: `examples/src/${id}.${language}`,
  policy,
  flags: language === 'wat' ? defaultFlags('wat') : { ...C_FLAGS, extra: [...C_FLAGS.extra, ...(EXTRA_FLAGS[id] ?? [])] },
});

export const EXAMPLES: readonly Example[] = [
  define('hello', 'Hello', 'The smallest WASI program: prints one line and exits 0.', {
    timeout_ms: 5000,
  }),
  define('args_env', 'Arguments and environment', 'Prints argv and the environment the policy passes in.', {
    args: ['first', 'second argument'],
    env: [['GREETING', 'hello'], ['LANG', 'C']],
  }),
  define('stdin_echo', 'Echo stdin', 'Reads all of stdin (from the policy) and writes it back.', {
    stdin: 'Text typed into the policy\'s stdin field.\nA second line.\n',
  }),
  define('exit_code', 'Exit code', 'Exits with the status given as its argument (default 42).', {
    args: ['7'],
  }),
  define('cat', 'cat a mounted file', 'Copies /data/input.txt from a read-only mount to stdout.', {
    policy: { landlock_rules: [{ path: '/data', access: 'ro' }] },
    files: { '/data/input.txt': INPUT_TEXT },
  }),
  define('fs_tour', 'Filesystem tour', 'Walks every mount and lists what the guest can see.', {
    policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/out', access: 'rw' }] },
    files: { '/data/input.txt': INPUT_TEXT, '/data/docs/readme.md': '# Mounted docs\n' },
  }),
  define('write_files', 'Write files', 'Creates, appends, renames files in a read-write mount; see what changed after the run.', {
    args: ['/out'],
    policy: { landlock_rules: [{ path: '/out', access: 'rw' }] },
    files: { '/out/notes.txt': 'a note that was here before the run\n' },
  }),
  define('ro_attack', 'Read-only attack', 'Tries every mutating call on a read-only mount; each is denied with the rule that denied it.', {
    args: ['/data', '/out'],
    policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/out', access: 'rw' }] },
    files: { '/data/input.txt': INPUT_TEXT, '/data/keep/file.txt': 'keep me\n' },
  }),
  define('escape', 'Escape attempts', 'Climbs out of its mounts with "..", absolute paths and symlinks; nothing should leak.', {
    args: ['/tmp', '/data'],
    policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/tmp', access: 'rw' }] },
    files: { '/data/input.txt': INPUT_TEXT },
  }),
  define('loop', 'Infinite loop', 'Spins forever: the fuel budget or the wall-clock timeout stops it.', {
    timeout_ms: 2000,
  }),
  define('sleep', 'Long sleep', 'Asks the host to sleep for a minute (poll_oneoff); the wall-clock timeout ends it first.', {
    args: ['60000'],
    timeout_ms: 2000,
  }),
  define('memory_bomb', 'Memory bomb', 'Allocates 1 MiB blocks until the memory cap refuses to grow.', {
    policy: { memory_limit_mb: 64 },
  }),
  define('recursion', 'Unbounded recursion', 'Recurses until the stack is exhausted and the engine traps.', {}),
  define('output_flood', 'Output flood', 'Writes 80-byte lines forever; output is cut at max_output_bytes.', {
    // An explicit budget ends the run the same way on every machine, long after the cut.
    fuel: 200_000_000,
    max_output_bytes: 256 * 1024,
  }),
  define('secret_snoop', 'Secret snoop', 'Prints its environment and every file in /secrets and /data, hunting for credentials; the values come out redacted.', {
    policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/secrets', access: 'ro' }] },
    env: [['PUBLIC_SETTING', 'visible']],
    files: { '/data/input.txt': INPUT_TEXT },
    secrets: [
      { name: 'API_TOKEN', inject_via: { EnvVar: { var_name: 'API_TOKEN' } } },
      { name: 'DB_PASSWORD', inject_via: { File: { path: '/secrets/DB_PASSWORD', mode: 0o400 } } },
    ],
  }),
  define('cloud_key', 'Leaked-looking keys', 'Prints fake AWS and GitHub tokens, to show the output gate.', {
    externalization: { enabled: true },
  }),
  define('net_probe', 'Network probe', 'Calls the socket and signal functions of WASI directly (WebAssembly text); the call filter refuses each one.', {
    policy: { seccomp_enabled: true, seccomp_profile: 'basic' },
  }, 'wat'),
  define('clock_random', 'Clocks and randomness', 'Shows what the host reports for clocks and random bytes.', {}),
];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
