/**
 * A lesson for every example, as data: what the program tries, the rule that stops it, what to
 * look for in the audit log, and one change to the policy that shows the rule at work. Each
 * lesson also says how a run ends under the example's own policy and under the change, so the
 * tests (and the page, after a run) can check that the sandbox does what the lesson says.
 */
import { EXAMPLES, type Example, type Outcome, type SandboxConfigInput } from '../core/index.ts';

export type LessonTopic = 'Basics' | 'Files' | 'Escapes' | 'Exhaustion' | 'Secrets' | 'Filter' | 'Time';

/** How a run ends, as a lesson promises it. */
export interface Expectation {
  outcome: Outcome['kind'];
  /** kavach's exit_code: the module's status, or -1 when the sandbox ended the run. */
  exitCode: number;
  /** Text that appears in stdout (after redaction and the output gate). */
  stdout?: string[];
  /** Text that must not appear in stdout. */
  notInStdout?: string[];
  /** The rule ids of the denied calls, each once, sorted; [] = nothing denied. */
  denials: string[];
  /** Whether stdout was cut at max_output_bytes. */
  truncated?: boolean;
  /** The output gate's verdict. */
  gate?: 'pass' | 'warn' | 'quarantine' | 'block';
}

export interface Lesson {
  topic: LessonTopic;
  /** What the program tries. */
  tries: string;
  /** The rule that stops it (or why nothing needs to). */
  stoppedBy: string;
  /** What to look for in the audit log (and the result). */
  lookFor: string;
  tryThis: {
    /** The change, in words. */
    say: string;
    /** A JSON merge patch (RFC 7396) on the example's policy document. */
    patch: SandboxConfigInput;
    expect: Expectation;
  };
  expect: Expectation;
  /**
   * Demonstration values for the secrets the example's policy names. They are fake and public;
   * the page registers them for the session so the example runs as it is.
   */
  demoSecrets?: Record<string, string>;
}

const INPUT_TEXT = 'first line of input.txt\nsecond line\n';

export const LESSONS: Readonly<Record<string, Lesson>> = {
  hello: {
    topic: 'Basics',
    tries: 'Nothing sneaky: it prints one line with a single fd_write to stdout and exits 0.',
    stoppedBy: 'Nothing needs stopping. Every run still goes through the same checks: the module sees only what the policy hands it.',
    lookFor: 'Two calls between the lifecycle entries: fd_fdstat_get on "1 (stdout)" and one fd_write of 24 bytes to it. Then exec_complete says "exit 0" (returning from main needs no proc_exit).',
    tryThis: {
      say: 'Refuse fd_write with a custom call filter: the program still exits 0, but it has lost its only way to speak.',
      patch: { policy: { wasi_filter: { mode: 'deny', calls: ['fd_write'] } } },
      expect: { outcome: 'exit', exitCode: 0, notInStdout: ['Hello'], denials: ['wasi_filter'] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['Hello from WebAssembly!'], denials: [] },
  },
  args_env: {
    topic: 'Basics',
    tries: 'Reads its arguments and its whole environment, as a program looking for configuration (or for credentials) would.',
    stoppedBy: 'The policy: argv is argv[0] plus the policy\'s args, and the environment is exactly the policy\'s env. Nothing of the host\'s own environment reaches it.',
    lookFor: 'args_sizes_get and args_get, then environ_sizes_get and environ_get: the only ways a WASI program learns its arguments and environment.',
    tryThis: {
      say: 'Add a variable to env: it appears in the listing, and nothing else does.',
      patch: { env: [['GREETING', 'hello'], ['LANG', 'C'], ['ADDED_BY_YOU', 'yes']] },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['env ADDED_BY_YOU=yes', 'env count=3'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['argv[1]=first', 'argv[2]=second argument', 'env GREETING=hello', 'env count=2'], denials: [] },
  },
  stdin_echo: {
    topic: 'Basics',
    tries: 'Reads stdin to the end and writes it back.',
    stoppedBy: 'Nothing needs stopping: stdin holds only the text the policy gives it, then end of file.',
    lookFor: 'Two fd_read calls on "0 (stdin)": the first gets the text, the second end of file. Between them an fd_write to stdout of the same number of bytes, and at the end "read N bytes" on stderr.',
    tryThis: {
      say: 'Put your own text in stdin.',
      patch: { stdin: 'typed into the policy\n' },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['typed into the policy'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['Text typed into the policy\'s stdin field.'], denials: [] },
  },
  exit_code: {
    topic: 'Basics',
    tries: 'Exits with the status given as its argument, to see how the host reports it.',
    stoppedBy: 'Nothing: proc_exit is always allowed, even under the strictest call filter, and its code becomes kavach\'s exit_code.',
    lookFor: 'One fd_write on "2 (stderr)", then proc_exit with the code. The result shows the exit code and the status in amber for a non-zero code.',
    tryThis: {
      say: 'Change the argument to 0: a clean exit.',
      patch: { args: ['0'] },
      expect: { outcome: 'exit', exitCode: 0, denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 7, denials: [] },
  },
  cat: {
    topic: 'Files',
    tries: 'Opens /data/input.txt and copies it to stdout.',
    stoppedBy: 'Nothing needs stopping: reading a read-only mount is allowed. Only paths inside the mounts exist for it.',
    lookFor: 'path_open of input.txt on "3 (/data)" with oflags 0 (no create, no truncate), fd_read on the new fd 4, fd_write of the same 36 bytes to stdout, a last fd_read at end of file, fd_close.',
    tryThis: {
      say: 'Ask it for /etc/passwd (args): a path under no mount does not exist for the module. wasi-libc refuses it with ENOTCAPABLE (76) before the host is even asked.',
      patch: { args: ['/etc/passwd'] },
      expect: { outcome: 'exit', exitCode: 1, notInStdout: ['root:'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: [INPUT_TEXT], denials: [] },
  },
  fs_tour: {
    topic: 'Files',
    tries: 'Opens "/" and walks the whole tree, listing everything it can see.',
    stoppedBy: 'WASI\'s capability model: there is no "/", only the directories the policy mounts (preopens). Opening "/" fails with ENOTCAPABLE, so the program asks the host for its mounts and walks those.',
    lookFor: 'fd_prestat_get on fds 3, 4, 5...: the host names each mount (fd 3 /data, fd 4 /out) and answers BADF after the last one. Then path_open and fd_readdir inside each mount.',
    tryThis: {
      say: 'Mount "/" itself (read-only) instead of /data and /out: now "/" opens, and the tour sees exactly the files the policy puts there.',
      patch: { policy: { landlock_rules: [{ path: '/', access: 'ro' }] } },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['dir              0 /data\n', 'dirs=2 files=2'], notInStdout: ['listing preopened mounts instead'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['listing preopened mounts instead', '/data   (mount, fd 3)', '/out   (mount, fd 4)', 'dirs=3 files=2'], denials: [] },
  },
  write_files: {
    topic: 'Files',
    tries: 'Creates, appends to and renames files and makes a directory in /out.',
    stoppedBy: 'Nothing: /out is mounted read-write (landlock_rules[0], "rw"), so every step works. Its changes live in memory and come back with the result; the page never touches a real disk.',
    lookFor: 'path_open with oflags CREAT|TRUNC (and fdflags APPEND for log.txt), fd_write, path_create_directory and path_rename, all SUCCESS. The Files after run tab lists what the module left in /out.',
    tryThis: {
      say: 'Make /out read-only: every step is refused with EROFS (69), and each refusal names the rule, "landlock_rules[0]".',
      patch: { policy: { landlock_rules: [{ path: '/out', access: 'ro' }] } },
      expect: { outcome: 'exit', exitCode: 1, stdout: ['errno=69 (Read-only file system)'], denials: ['landlock_rules[0]'] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['entry renamed.txt file size=16', 'failed=0'], denials: [] },
  },
  ro_attack: {
    topic: 'Files',
    tries: 'Every kind of write to the read-only mount /data: opening for writing, creating, truncating, writing through a read-only fd, set times, mkdir, rmdir, unlink, link, symlink, and renaming in and out.',
    stoppedBy: 'The read-only mount, landlock_rules[0] ("/data", "ro"): each mutating call returns EROFS (69) and changes nothing, while reads and stat still work.',
    lookFor: 'Tick "Denied only": 21 rows, each with the rule and a reason such as "open for writing /data/input.txt denied: mount /data is read-only (policy rule 0)".',
    tryThis: {
      say: 'Make /data read-write: the same 21 attempts now mostly succeed (the program counts them and exits 1).',
      patch: { policy: { landlock_rules: [{ path: '/data', access: 'rw' }, { path: '/out', access: 'rw' }] } },
      expect: { outcome: 'exit', exitCode: 1, stdout: ['open O_WRONLY input.txt: ok', 'unlink keep/file.txt: ok'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['denied=21 allowed=0', 'read: ok 36 bytes'], denials: ['landlock_rules[0]'] },
  },
  escape: {
    topic: 'Escapes',
    tries: 'Climbs out of its mounts: /data/../etc/passwd, ../etc/passwd, /etc/passwd, a symlink to /etc/passwd, and a symlink to ../../.. that it then reads through.',
    stoppedBy: 'The filesystem is confined to the mounts (the score\'s fs_confined): paths resolve only beneath the directory they start from, so ".." above a mount, absolute paths and links pointing out all give ENOTCAPABLE (76).',
    lookFor: 'No denial rows: nothing outside the mounts exists to deny. /etc/passwd never reaches the host (wasi-libc finds no mount for it); /data/../etc/passwd arrives as a path_open of ../etc/passwd on "3 (/data)" and ends in NOTCAPABLE. A path_symlink to /etc/passwd is refused; one to ../../.. is created (SUCCESS), but the path_open calls through it end in NOTCAPABLE.',
    tryThis: {
      say: 'Mount "/" read-write and put an /etc/passwd in it: the same program now reads it twice (leaked=2), and the score drops 10 points for the read-write root.',
      patch: {
        policy: { landlock_rules: [{ path: '/', access: 'rw' }] },
        files: { '/tmp/': '', '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n' },
      },
      expect: { outcome: 'exit', exitCode: 1, stdout: ['read /etc/passwd: ok', 'leaked=2'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['read /data/../etc/passwd: errno=76', 'symlink /tmp/link_up -> ../../..: ok', 'leaked=0'], notInStdout: ['root:'], denials: [] },
  },
  loop: {
    topic: 'Exhaustion',
    tries: 'Spins forever in a tight loop, never making a call.',
    stoppedBy: 'Fuel: with no fuel set, the budget is timeout_ms x 1,000,000 (kavach\'s rule), and a tight loop burns 2,000,000,000 units before the 2 s timeout.',
    lookFor: 'Nothing after the first fd_write: a busy loop makes no calls, which is why a call filter cannot stop it. The result shows the fuel meter full and "out of fuel".',
    tryThis: {
      say: 'Give it ample fuel (1,000,000,000,000,000): now the wall clock ends it, and the worker is killed at the 2 s deadline.',
      patch: { fuel: 1_000_000_000_000_000 },
      expect: { outcome: 'timeout', exitCode: -1, stdout: ['looping forever'], denials: [] },
    },
    expect: { outcome: 'fuel_exhausted', exitCode: -1, stdout: ['looping forever'], denials: [] },
  },
  sleep: {
    topic: 'Exhaustion',
    tries: 'Asks the host to sleep for 60 seconds (nanosleep, which is a poll_oneoff clock subscription).',
    stoppedBy: 'The wall-clock timeout (timeout_ms 2000): a sleep uses no fuel, so only the clock can end it. The worker is killed at the deadline, in the middle of the host call.',
    lookFor: 'After the fd_write of "sleeping 60000 ms" there are no more calls: the poll_oneoff never returned, so it was never logged. exec_complete says "timeout", and "woke up" is never printed.',
    tryThis: {
      say: 'Make the run deterministic: on the virtual clock a sleep takes no real time, so the minute passes at once and the program wakes up.',
      patch: { deterministic: { clock_start_ms: 1_700_000_000_000, clock_step_ns: 1000, random_seed: 1 } },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['sleeping 60000 ms', 'woke up'], denials: [] },
    },
    expect: { outcome: 'timeout', exitCode: -1, stdout: ['sleeping 60000 ms'], notInStdout: ['woke up'], denials: [] },
  },
  memory_bomb: {
    topic: 'Exhaustion',
    tries: 'Allocates 1 MiB blocks and touches every page, forever.',
    stoppedBy: 'The memory cap (memory_limit_mb 64): memory.grow fails at the cap, malloc returns NULL, and the program gives up with exit code 3.',
    lookFor: 'memory.grow is not a WASI call, so the log shows only the "allocated N MiB" writes on stderr. The result shows the peak memory just under the 64 MiB cap.',
    tryThis: {
      say: 'Raise the cap to 256 MiB: it gets four times as far before malloc fails.',
      patch: { policy: { memory_limit_mb: 256 } },
      expect: { outcome: 'exit', exitCode: 3, stdout: ['malloc failed after 255 MiB'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 3, stdout: ['malloc failed after 63 MiB'], denials: [] },
  },
  recursion: {
    topic: 'Exhaustion',
    tries: 'Calls itself without end.',
    stoppedBy: 'The engine\'s own call stack: it overflows and the run ends with a stack overflow, whatever the policy says. No rule is needed, and nothing leaks.',
    lookFor: 'One fd_write ("recursing"), then nothing: recursion makes no calls to the host.',
    tryThis: {
      say: 'Set a small fuel budget (100,000): every call costs fuel, so the budget runs out long before the stack does.',
      patch: { fuel: 100_000 },
      expect: { outcome: 'fuel_exhausted', exitCode: -1, stdout: ['recursing'], denials: [] },
    },
    expect: { outcome: 'stack_overflow', exitCode: -1, stdout: ['recursing'], denials: [] },
  },
  output_flood: {
    topic: 'Exhaustion',
    tries: 'Writes 80-byte lines to stdout forever, to fill the host\'s memory with output.',
    stoppedBy: 'The output cap (max_output_bytes, 256 KiB): everything past it is dropped and the cut is reported. The writes keep "succeeding", so fuel (200,000,000) ends the run.',
    lookFor: 'Thousands of identical fd_write calls: the log keeps the first and last 5,000 and counts those dropped between. The result says "cut at 256 KB (stdout)".',
    tryThis: {
      say: 'Raise max_output_bytes to 8 MiB: nothing is cut (the fuel still ends the run after about 4.5 MB of lines).',
      patch: { max_output_bytes: 8 * 1024 * 1024 },
      expect: { outcome: 'fuel_exhausted', exitCode: -1, stdout: ['line 0: '], truncated: false, denials: [] },
    },
    expect: { outcome: 'fuel_exhausted', exitCode: -1, stdout: ['line 0: '], truncated: true, denials: [] },
  },
  secret_snoop: {
    topic: 'Secrets',
    tries: 'Prints its whole environment and every file in /secrets and /data, hunting for credentials.',
    stoppedBy: 'The credential proxy: the policy names the secrets (API_TOKEN as an env variable, DB_PASSWORD as a file) and the page holds their values. The module gets the real values, but every registered value is redacted from output, audit log and files after the run.',
    lookFor: 'environ_get and the path_open of /secrets/DB_PASSWORD succeed: the module did read the values. The output shows [REDACTED:secret:API_TOKEN] and [REDACTED:secret:DB_PASSWORD] instead.',
    tryThis: {
      say: 'Paste a token into plain env instead (SESSION_TOKEN): nothing redacts it, it is stored in the policy and in share links, and the score loses 10 points.',
      patch: { env: [['PUBLIC_SETTING', 'visible'], ['SESSION_TOKEN', 'tok-pasted-in-plain-sight']] },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['env SESSION_TOKEN=tok-pasted-in-plain-sight', '[REDACTED:secret:API_TOKEN]'], denials: [] },
    },
    expect: {
      outcome: 'exit',
      exitCode: 0,
      stdout: ['env API_TOKEN=[REDACTED:secret:API_TOKEN]', 'file /secrets/DB_PASSWORD (26 bytes): [REDACTED:secret:DB_PASSWORD]', 'found env=2 files=2'],
      notInStdout: ['tok-demo-3f9a8b7c6d5e', 'correct-horse-battery-demo'],
      denials: [],
    },
    demoSecrets: { API_TOKEN: 'tok-demo-3f9a8b7c6d5e', DB_PASSWORD: 'correct-horse-battery-demo' },
  },
  cloud_key: {
    topic: 'Secrets',
    tries: 'Prints an AWS access key id and a GitHub token (both fake, but shaped like real ones).',
    stoppedBy: 'The output gate (externalization): its patterns find the AWS key, a critical finding, so the stream is blocked from that chunk on.',
    lookFor: 'The fd_write calls succeed (the module cannot tell); the gate acts on what leaves the sandbox. The result names the pattern (aws_access_key) and where it was found.',
    tryThis: {
      say: 'Turn the output gate off (externalization.enabled false): the keys come out as printed, and the score loses 3 points.',
      patch: { externalization: { enabled: false } },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['AKIAIOSFODNN7EXAMPLE', 'done'], gate: 'pass', denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, notInStdout: ['AKIAIOSFODNN7EXAMPLE'], gate: 'block', denials: [] },
  },
  net_probe: {
    topic: 'Filter',
    tries: 'Calls sock_accept, sock_send, sock_recv, sock_shutdown and proc_raise directly, with no libc in the way, and prints each errno.',
    stoppedBy: 'The WASI call filter (seccomp_profile "basic"): its denylist refuses all five with ENOSYS (52) before they run.',
    lookFor: 'Five denied rows naming the rule seccomp_profile:basic, each NOSYS.',
    tryThis: {
      say: 'Turn the call filter off: the calls now run, and still fail, because WASI preview1 here has no sockets (EBADF 8, ENOTSOCK 57) and no signals (ENOTSUP 58). The filter is a second wall.',
      patch: { policy: { seccomp_enabled: false, seccomp_profile: null } },
      expect: { outcome: 'exit', exitCode: 0, stdout: ['sock_accept: errno=8', 'sock_send: errno=57', 'proc_raise: errno=58', 'done'], denials: [] },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['sock_accept: errno=52', 'sock_recv: errno=52', 'proc_raise: errno=52', 'done'], denials: ['seccomp_profile:basic'] },
  },
  clock_random: {
    topic: 'Time',
    tries: 'Reads the real-time and monotonic clocks and asks for random bytes: what a program would use to fingerprint the host or time a side channel.',
    stoppedBy: 'Nothing, by default: it sees the host\'s clock and real entropy, so every run prints something different.',
    lookFor: 'clock_time_get, clock_res_get and random_get calls, all SUCCESS.',
    tryThis: {
      say: 'Make the run deterministic (a virtual clock from 2023-11-14 22:13:20 UTC stepping 1 µs per read, random bytes from seed 42): the same run prints the same bytes every time.',
      patch: { deterministic: { clock_start_ms: 1_700_000_000_000, clock_step_ns: 1000, random_seed: 42 } },
      expect: {
        outcome: 'exit',
        exitCode: 0,
        stdout: ['realtime: 1700000000.000001000 s', 'delta 1000 ns', 'getentropy(16): 7cefe1998a2bc372c0323bdaadb073ab'],
        denials: [],
      },
    },
    expect: { outcome: 'exit', exitCode: 0, stdout: ['realtime: ', 'getentropy(16): '], denials: [] },
  },
};

export function lessonFor(id: string): Lesson | undefined {
  return Object.hasOwn(LESSONS, id) ? LESSONS[id] : undefined;
}

export type LessonVariant = 'default' | 'tryThis';

/** The policy document an example runs under: its own, or its own with the lesson's change. */
export function lessonPolicy(example: Example, variant: LessonVariant): SandboxConfigInput {
  const lesson = lessonFor(example.id);
  if (variant === 'default' || !lesson) return example.policy;
  return mergePatch(example.policy, lesson.tryThis.patch) as SandboxConfigInput;
}

export function lessonExpectation(id: string, variant: LessonVariant): Expectation | undefined {
  const lesson = lessonFor(id);
  return variant === 'default' ? lesson?.expect : lesson?.tryThis.expect;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396: objects merge key by key, null removes a key, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/**
 * What a lesson promises of an edited program: how the sandbox ends it, what it denies, what the
 * output gate does and what must never appear (a leak); not the text the original program printed,
 * which an edit may change.
 */
export function sandboxExpectation(expected: Expectation): Expectation {
  const { stdout: _printed, ...rest } = expected;
  return rest;
}

/** What a run needs to be checked against a lesson: a subset of RunResult. */
export interface CheckedRun {
  outcome: Outcome;
  exit_code: number;
  stdout: string;
  truncated: { stdout: boolean };
  audit: { events: readonly { kind: string; denial?: { rule: string } }[] };
  gate: { verdict: string } | null;
}

export interface Mismatch {
  what: string;
  expected: string;
  got: string;
}

/** The rule ids of the denied calls of a run, each once, sorted. */
export function deniedRules(run: Pick<CheckedRun, 'audit'>): string[] {
  const rules = new Set<string>();
  for (const e of run.audit.events) if (e.kind === 'call' && e.denial) rules.add(e.denial.rule);
  return [...rules].sort();
}

/** Where a run differs from what a lesson promises; [] when it ends as described. */
export function checkExpectation(expected: Expectation, run: CheckedRun): Mismatch[] {
  const out: Mismatch[] = [];
  const compare = (what: string, want: unknown, got: unknown) => {
    if (want !== got) out.push({ what, expected: String(want), got: String(got) });
  };
  compare('outcome', expected.outcome, run.outcome.kind);
  compare('exit code', expected.exitCode, run.exit_code);
  for (const text of expected.stdout ?? []) if (!run.stdout.includes(text)) out.push({ what: 'stdout', expected: `contains ${JSON.stringify(text)}`, got: 'missing' });
  for (const text of expected.notInStdout ?? []) if (run.stdout.includes(text)) out.push({ what: 'stdout', expected: `no ${JSON.stringify(text)}`, got: 'present' });
  compare('denied by', expected.denials.join(', ') || 'nothing', deniedRules(run).join(', ') || 'nothing');
  if (expected.truncated !== undefined) compare('stdout cut', expected.truncated, run.truncated.stdout);
  if (expected.gate !== undefined) compare('output gate', expected.gate, run.gate?.verdict ?? 'none');
  return out;
}

/** The examples grouped by topic, in catalog order, for a gallery. */
export function examplesByTopic(): { topic: LessonTopic; examples: Example[] }[] {
  const groups = new Map<LessonTopic, Example[]>();
  for (const example of EXAMPLES) {
    const topic = lessonFor(example.id)?.topic ?? 'Basics';
    groups.set(topic, [...(groups.get(topic) ?? []), example]);
  }
  return [...groups].map(([topic, examples]) => ({ topic, examples }));
}
