/**
 * The host boundary, attacked. Each test is one attack on one promise SECURITY.md makes about
 * the CLI's host directories, its temporary files, its secrets and its input; each builds a host
 * fixture (a mount, with canaries beside it), runs the attack program attacks/src/fsops.c through
 * the CLI, and checks the whole host tree afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FSOPS, HELLO, REPO, cli, cliProcess, hasStackTrace, hostFixture, snapshot } from '../testing/cli/host-fixture.ts';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_WRITE_BACK_INCOMPLETE } from './io.ts';
import { tempDir } from '../testing/cli/temp-dir.ts';

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

describe('promise: a guest never writes outside its mounts, whatever the host directory holds', () => {
  it('a host symlink to a file outside: the guest writes that name, the file outside is untouched', async () => {
    const f = hostFixture();
    symlinkSync('../outside/canary.txt', join(f.mount, 'link'));
    const before = snapshot(f.root);
    const r = await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'write', '/m/link', 'PWNED']);
    expect(r.out).toContain('write /m/link: ok');
    expect(snapshot(f.root)).toEqual(before);
    expect(r.err).toMatch(/not written back: \/m\/link: the host has a symlink there/);
    expect(r.code).toBe(EXIT_WRITE_BACK_INCOMPLETE);
  });

  it('a host symlink to a directory outside: nothing appears in that directory', async () => {
    const f = hostFixture();
    symlinkSync('../outside/dir', join(f.mount, 'dirlink'));
    const before = snapshot(f.root);
    const r = await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'mkdir', '/m/dirlink', 'write', '/m/dirlink/x', 'planted']);
    expect(r.out).toContain('write /m/dirlink/x: ok');
    expect(snapshot(f.root)).toEqual(before);
    expect(r.code).toBe(EXIT_WRITE_BACK_INCOMPLETE);
  });

  it('a dangling host symlink: its target is not created', async () => {
    const f = hostFixture();
    symlinkSync('../outside/created.txt', join(f.mount, 'dangling'));
    const before = snapshot(f.root);
    await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'write', '/m/dangling', 'created']);
    expect(existsSync(join(f.outside, 'created.txt'))).toBe(false);
    expect(snapshot(f.root)).toEqual(before);
  });

  it('a relative symlink that climbs out with "..", deeper in the mount: nothing leaves', async () => {
    const f = hostFixture();
    mkdirSync(join(f.mount, 'a', 'b'), { recursive: true });
    symlinkSync('../../../outside', join(f.mount, 'a', 'b', 'up'));
    const before = snapshot(f.root);
    await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'mkdir', '/m/a/b/up', 'write', '/m/a/b/up/canary.txt', 'PWNED']);
    expect(readFileSync(join(f.outside, 'canary.txt'), 'utf8')).toBe('canary\n');
    expect(snapshot(f.root)).toEqual(before);
  });

  it('symlinks that stay inside the mount are reproduced: the guest reads and writes through them, the host link stays a link', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'real.txt'), 'real\n');
    symlinkSync('real.txt', join(f.mount, 'inside'));
    symlinkSync('../outside/canary.txt', join(f.mount, 'out'));
    const r = await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'cat', '/m/inside', 'cat', '/m/out', 'write', '/m/inside', 'through the link']);
    expect(r.out).toContain('cat /m/inside: real');
    expect(r.out).toMatch(/cat \/m\/out: No such file or directory/);
    expect(r.err).toMatch(/skipped \/m\/out: a symlink to .* outside the mount/);
    expect(readFileSync(join(f.mount, 'real.txt'), 'utf8')).toBe('through the link');
    expect(readlinkSync(join(f.mount, 'inside'))).toBe('real.txt');
    expect(r.code).toBe(EXIT_OK);
  });
});

describe('promise: write-back applies the guest\'s changes and nothing else', () => {
  it('a run that changes nothing leaves the host tree exactly as it was (times included)', async () => {
    const f = hostFixture();
    mkdirSync(join(f.mount, 'sub'));
    writeFileSync(join(f.mount, 'a.txt'), 'a');
    writeFileSync(join(f.mount, 'sub', 'b.txt'), 'b');
    const before = snapshot(f.root);
    expect((await cli(['run', '--dir', `${f.mount}::/m`, HELLO])).code).toBe(EXIT_OK);
    expect(snapshot(f.root)).toEqual(before);
  });

  it.each([
    ['rw outer, ro inner', '--dir', '--ro-dir'],
    ['rw outer, rw inner', '--dir', '--dir'],
    ['ro outer, rw inner', '--ro-dir', '--dir'],
    ['ro outer, ro inner', '--ro-dir', '--ro-dir'],
  ])('nested mounts (%s): the outer mount\'s write-back never touches the inner mount\'s path', async (_label, outer, inner) => {
    const f = hostFixture();
    const b = join(f.root, 'b');
    mkdirSync(join(f.mount, 'sub'), { recursive: true });
    writeFileSync(join(f.mount, 'sub', 'keep.txt'), 'A/sub/keep');
    mkdirSync(b);
    writeFileSync(join(b, 'inner.txt'), 'B/inner');
    const before = snapshot(f.root);
    const r = await cli(['run', outer, `${f.mount}::/data`, inner, `${b}::/data/sub`, HELLO]);
    expect(r.code).toBe(EXIT_OK);
    expect(snapshot(f.root)).toEqual(before);
  });

  it('nested mounts: what the guest writes under the inner mount lands in the inner host directory only', async () => {
    const f = hostFixture();
    const b = join(f.root, 'b');
    mkdirSync(join(f.mount, 'sub'));
    writeFileSync(join(f.mount, 'sub', 'keep.txt'), 'A/sub/keep');
    mkdirSync(b);
    const r = await cli(['run', '--dir', `${f.mount}::/data`, '--dir', `${b}::/data/sub`, FSOPS, 'write', '/data/sub/new.txt', 'to B', 'ls', '/data/sub']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain('ls /data/sub: new.txt');
    expect(readFileSync(join(b, 'new.txt'), 'utf8')).toBe('to B');
    expect(readdirSync(join(f.mount, 'sub'))).toEqual(['keep.txt']);
  });

  it('nested mounts from a policy rule: a rule at /data/sub shadows the host directory there, and keeps it', async () => {
    const f = hostFixture();
    mkdirSync(join(f.mount, 'sub'));
    writeFileSync(join(f.mount, 'sub', 'keep.txt'), 'A/sub/keep');
    const policy = join(f.root, 'policy.json');
    writeFileSync(policy, JSON.stringify({ policy: { landlock_rules: [{ path: '/data/sub', access: 'ro' }] } }));
    const before = snapshot(f.root);
    const r = await cli(['run', '--policy', policy, '--dir', `${f.mount}::/data`, HELLO]);
    expect(r.code).toBe(EXIT_OK);
    expect(snapshot(f.root)).toEqual(before);
  });

  it('a file the host creates during the run survives write-back', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'old.txt'), 'old');
    const created = setTimeout(() => writeFileSync(join(f.mount, 'made-by-host.txt'), 'host'), 300);
    const r = await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'sleep', '1500', 'write', '/m/guest.txt', 'guest']);
    clearTimeout(created);
    expect(r.code).toBe(EXIT_OK);
    expect(readFileSync(join(f.mount, 'made-by-host.txt'), 'utf8')).toBe('host');
    expect(readFileSync(join(f.mount, 'guest.txt'), 'utf8')).toBe('guest');
    expect(readFileSync(join(f.mount, 'old.txt'), 'utf8')).toBe('old');
  });

  it('a file both sides change is a conflict: the host keeps its version and the CLI says so', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'shared.txt'), 'original');
    writeFileSync(join(f.mount, 'doomed.txt'), 'original');
    const changed = setTimeout(() => {
      writeFileSync(join(f.mount, 'shared.txt'), 'changed on the host');
      writeFileSync(join(f.mount, 'doomed.txt'), 'changed on the host');
    }, 300);
    const r = await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'sleep', '1500', 'write', '/m/shared.txt', 'changed by the guest', 'rm', '/m/doomed.txt']);
    clearTimeout(changed);
    expect(readFileSync(join(f.mount, 'shared.txt'), 'utf8')).toBe('changed on the host');
    expect(readFileSync(join(f.mount, 'doomed.txt'), 'utf8')).toBe('changed on the host');
    expect(r.err).toMatch(/conflict: \/m\/shared\.txt changed on the host during the run; the host's version was kept/);
    expect(r.err).toMatch(/conflict: \/m\/doomed\.txt changed on the host during the run; the host's version was kept/);
    expect(r.code).toBe(EXIT_WRITE_BACK_INCOMPLETE);
  });

  it('--write-back-conflicts=guest lets the guest\'s version win a conflict', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'shared.txt'), 'original');
    const changed = setTimeout(() => writeFileSync(join(f.mount, 'shared.txt'), 'changed on the host'), 300);
    const r = await cli(['run', '--write-back-conflicts=guest', '--dir', `${f.mount}::/m`, FSOPS, 'sleep', '1500', 'write', '/m/shared.txt', 'guest wins']);
    clearTimeout(changed);
    expect(r.code).toBe(EXIT_OK);
    expect(readFileSync(join(f.mount, 'shared.txt'), 'utf8')).toBe('guest wins');
  });

  it('renames, deletions and type changes are applied as changes; untouched files keep their times', async () => {
    const f = hostFixture();
    mkdirSync(join(f.mount, 'd'));
    writeFileSync(join(f.mount, 'd', 'x'), 'x');
    writeFileSync(join(f.mount, 'f'), 'f');
    writeFileSync(join(f.mount, 'moved.txt'), 'moved');
    writeFileSync(join(f.mount, 'gone.txt'), 'gone');
    writeFileSync(join(f.mount, 'still.txt'), 'still');
    const still = lstatSync(join(f.mount, 'still.txt')).mtimeMs;
    const moved = lstatSync(join(f.mount, 'moved.txt')).ino;
    const r = await cli(['run', '--dir', `${f.mount}::/m`, FSOPS,
      'rm', '/m/d/x', 'rmdir', '/m/d', 'write', '/m/d', 'now a file',
      'rm', '/m/f', 'mkdir', '/m/f', 'write', '/m/f/inner', 'now a dir',
      'mv', '/m/moved.txt', '/m/renamed.txt', 'rm', '/m/gone.txt']);
    expect(r.code).toBe(EXIT_OK);
    expect(snapshot(f.mount, false)).toEqual({
      d: expect.stringMatching(/^file /),
      f: 'dir',
      'f/inner': expect.stringMatching(/^file /),
      'renamed.txt': expect.stringMatching(/^file /),
      'still.txt': expect.stringMatching(/^file /),
    });
    expect(readFileSync(join(f.mount, 'd'), 'utf8')).toBe('now a file');
    expect(lstatSync(join(f.mount, 'renamed.txt')).ino).toBe(moved);
    expect(lstatSync(join(f.mount, 'still.txt')).mtimeMs).toBe(still);
  });
});

describe('promise: write-back finishes, says what it could not apply, and the audit trail is always written', () => {
  it('a path too long for the host is reported, the other changes land, the audit file is written, exit 73', async () => {
    const f = hostFixture();
    const audit = join(f.root, 'audit.jsonl');
    const r = await cli(['run', '--audit', audit, '--dir', `${f.mount}::/m`, FSOPS, 'deep', '/m', '25', 'write', '/m/ok.txt', 'fine']);
    expect(r.out).toContain('deep /m: ok');
    expect(hasStackTrace(r.err)).toBe(false);
    expect(r.err).toMatch(/not written back: \/m\/d+.*ENAMETOOLONG/);
    expect(readFileSync(join(f.mount, 'ok.txt'), 'utf8')).toBe('fine');
    expect(readFileSync(audit, 'utf8')).toContain('"path_open"');
    expect(r.code).toBe(EXIT_WRITE_BACK_INCOMPLETE);
  });

  it('leaves no temporary files behind', async () => {
    const f = hostFixture();
    await cli(['run', '--dir', `${f.mount}::/m`, FSOPS, 'write', '/m/a', 'a', 'mkdir', '/m/s', 'write', '/m/s/b', 'b']);
    expect(Object.keys(snapshot(f.mount)).sort()).toEqual(['a', 's', 's/b']);
  });
});

describe('promise: special files are never read, written or waited on', () => {
  it('a guest file named like a host FIFO: the CLI finishes and the FIFO is left alone', () => {
    const f = hostFixture();
    mkfifo(join(f.mount, 'pipe'));
    const r = cliProcess(['run', '--dir', `${f.mount}::/m`, FSOPS, 'ls', '/m', 'write', '/m/pipe', 'into the pipe']);
    expect(r.code).toBe(EXIT_WRITE_BACK_INCOMPLETE);
    expect(r.out).toContain('ls /m:\n');
    expect(r.err).toMatch(/skipped \/m\/pipe: a FIFO/);
    expect(r.err).toMatch(/not written back: \/m\/pipe: the host has a FIFO there/);
    expect(lstatSync(join(f.mount, 'pipe')).isFIFO()).toBe(true);
  });

  it('a device or a FIFO given as the module is refused at once', () => {
    const f = hostFixture();
    mkfifo(join(f.root, 'module.wasm'));
    for (const module of ['/dev/zero', join(f.root, 'module.wasm')]) {
      const r = cliProcess(['run', module]);
      expect(r.code).toBe(EXIT_BAD_INPUT);
      expect(r.err).toMatch(/module .* is not a regular file/);
      expect(hasStackTrace(r.err)).toBe(false);
    }
  });

  it('a module larger than the cap is refused before it is read', async () => {
    const dir = tempDir('kavach-big-');
    const big = join(dir, 'big.wasm');
    writeFileSync(big, '');
    truncateSync(big, 300 * 1024 * 1024);
    const r = await cli(['run', big]);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/module .*big\.wasm is 300 MiB; the most kavach reads is 256 MiB/);
  });

  it('--ro-dir /proc/self and /sys/kernel: the run goes ahead with what can be read, or stops at the budget in one line; never a stack trace', async () => {
    // /proc/self holds files that say 0 bytes and read on for gigabytes (pagemap), and files that
    // cannot be read at all; /sys, files that cannot be read.
    for (const host of ['/proc/self', '/sys/kernel']) {
      const r = await cli(['run', '--ro-dir', `${host}::/h`, HELLO]);
      expect(hasStackTrace(r.err)).toBe(false);
      if (r.code === 0) {
        expect(r.out).toBe('Hello from WebAssembly!\n');
        expect(r.err).toMatch(/kavach: skipped \/h\/.*: (cannot read it|a symlink to|it reads on past)/);
      } else {
        expect(r.code).toBe(EXIT_BAD_INPUT);
        expect(r.err).toMatch(new RegExp(`--ro-dir ${host}: holds more than the run's filesystem budget of 1 GiB`));
      }
    }
  });

  it('--ro-dir /::/ stops at the filesystem budget before the guest starts, naming the mount, its size and the budget', async () => {
    const r = await cli(['run', '--ro-dir', '/::/', HELLO]);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/--ro-dir \/: holds more than the run's filesystem budget of 1 GiB and 100000 entries \(.* when copying stopped/);
  });
});

describe('promise: the filesystem is part of the memory cap', () => {
  const capped = (f: { mount: string }, ...ops: string[]) => cli(['run', '--max-memory-mb', '16', '--dir', `${f.mount}::/m`, FSOPS, ...ops]);

  it('twenty 1 GiB ftruncates under a 16 MiB cap: refused (one file may not pass the budget: EFBIG), nothing allocated', async () => {
    const f = hostFixture();
    const r = await capped(f, 'bombtrunc', '/m', '20', '1073741824');
    expect(r.out).toMatch(/bombtrunc \/m: 0 made/);
    expect(r.out).toMatch(/bombtrunc \/m: File too large/);
  });

  it('ftruncates that each fit but together do not: ENOSPC once the budget is spent', async () => {
    const f = hostFixture();
    const r = await capped(f, 'bombtrunc', '/m', '20', String(6 * 1024 * 1024));
    expect(r.out).toMatch(/bombtrunc \/m: 2 made/);
    expect(r.out).toMatch(/bombtrunc \/m: No space left on device/);
  });

  it('a 2 GiB write under a 16 MiB cap stops at the budget', async () => {
    const f = hostFixture();
    const r = await capped(f, 'fill', '/m/big', '2147483648');
    const written = Number(/fill \/m\/big: (\d+) bytes written/.exec(r.out)?.[1]);
    expect(written).toBeGreaterThan(8 * 1024 * 1024);
    expect(written).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(r.out).toMatch(/fill \/m\/big: No space left on device/);
  });

  it('a million empty files are refused once the inodes run out', async () => {
    const f = hostFixture();
    const r = await capped(f, 'files', '/m', '1000000');
    const made = Number(/files \/m: (\d+) made/.exec(r.out)?.[1]);
    expect(made).toBeGreaterThan(1000);
    expect(made).toBeLessThan(1000000);
    expect(r.out).toMatch(/files \/m: No space left on device/);
  }, 120_000);

  it('a refusal is audited with the limit that refused it', async () => {
    const f = hostFixture();
    const audit = join(f.root, 'audit.jsonl');
    await cli(['run', '--audit', audit, '--max-memory-mb', '16', '--dir', `${f.mount}::/m`, FSOPS,
      'truncate', '/m/huge', '1073741824', 'truncate', '/m/a', '10485760', 'truncate', '/m/b', '10485760']);
    const trail = readFileSync(audit, 'utf8');
    expect(trail).toMatch(/"rule":"filesystem\.max_file_bytes".*truncate \/m\/huge denied: one file may hold at most 16 MiB/);
    expect(trail).toMatch(/"rule":"filesystem\.max_bytes".*truncate \/m\/b denied: the mounts would hold more than the filesystem budget of 16 MiB/);
  });

  it('a mount bigger than the budget fails before the run, naming the mount, its size and the budget', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'big.bin'), new Uint8Array(20 * 1024 * 1024));
    const r = await capped(f, 'ls', '/m');
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/--dir .*mount: holds more than the run's filesystem budget of 16 MiB and 100000 entries \(20\.0 MiB in 2 entries when copying stopped/);
  });
});

describe('promise: the CLI runs no code from a shared temporary directory', () => {
  it('nothing is written to or run from $TMPDIR, even with a planted kavach-playground directory there', () => {
    const tmp = tempDir('kavach-tmpdir-');
    mkdirSync(join(tmp, 'kavach-playground'));
    writeFileSync(join(tmp, 'kavach-playground', 'planted.mjs'), 'process.stdout.write("PLANTED")');
    const before = snapshot(tmp);
    const r = cliProcess(['run', HELLO], { env: { TMPDIR: tmp, TMP: tmp, TEMP: tmp } });
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toBe('Hello from WebAssembly!\n');
    expect(snapshot(tmp)).toEqual(before);
  });
});

describe('promise: secrets given to the CLI never leave the sandbox', () => {
  const VALUE = 'tok-3f9a1c77e2b4d0';
  it('--secret NAME reads the host variable, injects it as env NAME and redacts it from output, audit, JSON and write-back', async () => {
    const f = hostFixture();
    const audit = join(f.root, 'audit.jsonl');
    const r = await cli(['run', '--json', '--audit', audit, '--secret', 'API_TOKEN', '--dir', `${f.mount}::/m`,
      join(REPO, 'public/examples/args_env.wasm')], { env: { API_TOKEN: VALUE } });
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain('env API_TOKEN=[REDACTED:secret:API_TOKEN]');
    expect(r.out).not.toContain(VALUE);
    expect(readFileSync(audit, 'utf8')).not.toContain(VALUE);
  });

  it('names, contents and link targets written back are redacted', async () => {
    const f = hostFixture();
    const r = await cli(['run', '--secret', 'TOKEN=HOST_TOKEN', '--dir', `${f.mount}::/m`, FSOPS,
      'write', `/m/${VALUE}.txt`, `value ${VALUE}`, 'mkdir', `/m/dir-${VALUE}`, 'symlink', `${VALUE}.txt`, '/m/link'], { env: { HOST_TOKEN: VALUE } });
    expect(r.code).toBe(EXIT_OK);
    const tree = JSON.stringify(snapshot(f.mount)) + readdirSync(f.mount).join();
    expect(tree).not.toContain(VALUE);
    expect(readFileSync(join(f.mount, '[REDACTED:secret:TOKEN].txt'), 'utf8')).toBe('value [REDACTED:secret:TOKEN]');
    expect(readlinkSync(join(f.mount, 'link'))).toBe('[REDACTED:secret:TOKEN].txt');
    expect(existsSync(join(f.mount, 'dir-[REDACTED:secret:TOKEN]'))).toBe(true);
  });

  it('--secret-file NAME=PATH reads the value from a file (one trailing newline dropped)', async () => {
    const f = hostFixture();
    const file = join(f.root, 'token');
    writeFileSync(file, `${VALUE}\n`);
    const r = await cli(['run', '--secret-file', `API_TOKEN=${file}`, join(REPO, 'public/examples/args_env.wasm')]);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain('env API_TOKEN=[REDACTED:secret:API_TOKEN]');
  });

  it('a --secret whose host variable is unset is bad input, before anything runs', async () => {
    const r = await cli(['run', '--secret', 'API_TOKEN', HELLO], { env: {} });
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/--secret API_TOKEN: the host variable API_TOKEN is not set/);
  });

  it('a policy ref names where the secret goes; --secret only supplies its value', async () => {
    const f = hostFixture();
    const policy = join(f.root, 'policy.json');
    writeFileSync(policy, JSON.stringify({ secrets: [{ name: 'TOKEN', inject_via: 'Stdin' }] }));
    const r = await cli(['run', '--policy', policy, '--secret', 'TOKEN=HOST_TOKEN', join(REPO, 'public/examples/stdin_echo.wasm')], { env: { HOST_TOKEN: VALUE } });
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toBe('[REDACTED:secret:TOKEN]');
  });
});

describe('promise: bad input is one line and exit 2, never a stack trace', () => {
  it.each([
    ['--audit into a missing directory', (d: string) => ['run', '--audit', join(d, 'missing', 'a.jsonl'), HELLO], /cannot write the audit trail to .*missing\/a\.jsonl: no such directory/],
    ['--audit onto a directory', (d: string) => ['run', '--audit', d, HELLO], /cannot write the audit trail to .*: it is a directory/],
    ['instrument -o into a missing directory', (d: string) => ['instrument', HELLO, '-o', join(d, 'missing', 'x.wasm')], /cannot write .*missing\/x\.wasm: no such directory/],
    ['instrument -o onto a directory', (d: string) => ['instrument', HELLO, '-o', d], /cannot write .*: it is a directory/],
    ['a directory as the module', (d: string) => ['run', d], /module .* is not a regular file/],
    ['a directory as the policy', (d: string) => ['run', '--policy', d, HELLO], /policy .* is not a regular file/],
  ])('%s', async (_label, argv, message) => {
    const dir = tempDir('kavach-bad-');
    const r = await cli(argv(dir));
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(message);
    expect(hasStackTrace(r.err)).toBe(false);
    expect(r.out).toBe('');
  });
});

describe('policy rules mount the host directory at their path, as kavach\'s WASM backend preopens it', () => {
  const policyFor = (f: { root: string }, rules: { path: string; access: string }[]) => {
    const file = join(f.root, 'policy.json');
    writeFileSync(file, JSON.stringify({ policy: { landlock_rules: rules } }));
    return file;
  };

  it('an "rw" rule whose path exists: the module reads it and its changes are written back, under the same rules', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'in.txt'), 'from the host');
    symlinkSync('../outside/canary.txt', join(f.mount, 'out'));
    const r = await cli(['run', '--policy', policyFor(f, [{ path: f.mount, access: 'rw' }]), FSOPS,
      'cat', `${f.mount}/in.txt`, 'write', `${f.mount}/made.txt`, 'by the module', 'write', `${f.mount}/out`, 'PWNED']);
    expect(r.out).toContain(`cat ${f.mount}/in.txt: from the host`);
    expect(r.err).toContain(`kavach: policy rule 0 mounts the host directory ${f.mount} read-write`);
    expect(readFileSync(join(f.mount, 'made.txt'), 'utf8')).toBe('by the module');
    expect(readFileSync(join(f.outside, 'canary.txt'), 'utf8')).toBe('canary\n');
    expect(r.code).toBe(EXIT_WRITE_BACK_INCOMPLETE);
  });

  it('any other access mounts it read-only', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'in.txt'), 'from the host');
    const policy = policyFor(f, [{ path: f.mount, access: 'ro' }]);
    const before = snapshot(f.root);
    const r = await cli(['run', '--policy', policy, FSOPS, 'write', `${f.mount}/in.txt`, 'changed']);
    expect(r.out).toContain(`write ${f.mount}/in.txt: Read-only file system`);
    expect(snapshot(f.root)).toEqual(before);
    expect(r.code).toBe(EXIT_OK);
  });

  it('a rule whose path is not a host directory is an empty mount, and the CLI says so', async () => {
    const f = hostFixture();
    const missing = join(f.root, 'no-such-dir');
    const r = await cli(['run', '--policy', policyFor(f, [{ path: missing, access: 'rw' }]), FSOPS, 'write', `${missing}/x`, 'x', 'ls', missing]);
    expect(r.err).toContain(`kavach: policy rule 0 (${missing}): no such directory on this host; mounted as an empty in-memory directory`);
    expect(r.out).toContain(`ls ${missing}: x`);
    expect(existsSync(missing)).toBe(false);
  });

  it('--no-host-rules mounts an empty in-memory directory instead, and leaves the host alone', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'in.txt'), 'from the host');
    const policy = policyFor(f, [{ path: f.mount, access: 'rw' }]);
    const before = snapshot(f.root);
    const r = await cli(['run', '--no-host-rules', '--policy', policy, FSOPS, 'ls', f.mount, 'write', `${f.mount}/made.txt`, 'x']);
    expect(r.out).toContain(`ls ${f.mount}:\n`);
    expect(snapshot(f.root)).toEqual(before);
  });

  it('a --dir at the same guest path takes the rule\'s place', async () => {
    const f = hostFixture();
    const other = join(f.root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'o.txt'), 'other');
    const r = await cli(['run', '--policy', policyFor(f, [{ path: '/data', access: 'ro' }]), '--dir', `${other}::/data`, FSOPS, 'cat', '/data/o.txt']);
    expect(r.out).toContain('cat /data/o.txt: other');
    expect(r.err).not.toContain('policy rule 0');
  });
});

describe('a relative rule path is a host directory from the working directory, as kavach reads it', () => {
  it('a rule "data" mounts ./data at /data', async () => {
    const f = hostFixture();
    writeFileSync(join(f.mount, 'in.txt'), 'relative');
    const policy = join(f.root, 'policy.json');
    writeFileSync(policy, JSON.stringify({ policy: { landlock_rules: [{ path: 'mount', access: 'ro' }] } }));
    const r = await cli(['run', '--policy', policy, FSOPS, 'cat', '/mount/in.txt'], { cwd: f.root });
    expect(r.out).toContain('cat /mount/in.txt: relative');
    expect(r.err).toContain(`policy rule 0 mounts the host directory ${f.mount} at /mount read-only`);
  });
});
