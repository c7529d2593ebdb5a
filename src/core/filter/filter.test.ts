import { wasi } from '@bjorn3/browser_wasi_shim';
import { describe, expect, it } from 'vitest';
import { presetPolicy, sandboxPolicySchema } from '../policy/index.ts';
import { WASI_CALLS } from '../wasi/calls.ts';
import { BASIC_DENYLIST, FILTER_DENIED_ERRNO, STRICT_ALLOWLIST, compileFilter } from './index.ts';

const policy = (p: Record<string, unknown>) => sandboxPolicySchema.parse(p);

describe('profiles as data', () => {
  it('lists each call once, each a real WASI call with a reason', () => {
    for (const list of [STRICT_ALLOWLIST, BASIC_DENYLIST]) {
      const calls = list.map((e) => e.call);
      expect(new Set(calls).size).toBe(calls.length);
      for (const e of list) {
        expect(WASI_CALLS).toContain(e.call);
        expect(e.reason.length).toBeGreaterThan(10);
      }
    }
  });

  it('never puts a call on both lists, and keeps proc_exit off the denylist', () => {
    const allowed = new Set(STRICT_ALLOWLIST.map((e) => e.call));
    expect(BASIC_DENYLIST.filter((e) => allowed.has(e.call))).toEqual([]);
    expect(allowed.has('proc_exit')).toBe(true);
  });

  it('documents ENOSYS as the errno of a refused call', () => {
    expect(FILTER_DENIED_ERRNO).toBe(52);
    expect(FILTER_DENIED_ERRNO).toBe(wasi.ERRNO_NOSYS);
  });
});

describe('compileFilter', () => {
  it('gives no filter when seccomp is off and there is no wasi_filter', () => {
    expect(compileFilter(presetPolicy('minimal'))).toBeNull();
    expect(compileFilter(policy({ seccomp_profile: 'strict' }))).toBeNull();
  });

  it('strict: allows exactly the allowlist and names the rule when refusing', () => {
    const f = compileFilter(presetPolicy('strict'))!;
    expect(f.rule).toBe('seccomp_profile:strict');
    expect(f.check('fd_write')).toEqual({ allowed: true });
    expect(f.check('path_symlink')).toEqual({
      allowed: false, rule: 'seccomp_profile:strict', reason: "path_symlink is not on the strict profile's allowlist",
    });
    expect(f.denied.length + STRICT_ALLOWLIST.length).toBe(WASI_CALLS.length);
    expect(f.denied).not.toContain('path_open');
    expect(f.denied).toContain('path_unlink_file');
    expect(f.denied).toContain('poll_oneoff');
  });

  it('basic (and null or any other profile name): refuses exactly the denylist', () => {
    for (const profile of ['basic', null, 'default', 'Strict']) {
      const f = compileFilter(policy({ seccomp_enabled: true, seccomp_profile: profile }))!;
      expect(f.rule).toBe('seccomp_profile:basic');
      expect(f.denied).toEqual(WASI_CALLS.filter((c) => BASIC_DENYLIST.some((e) => e.call === c)));
      expect(f.check('path_unlink_file')).toEqual({ allowed: true });
    }
    const f = compileFilter(presetPolicy('basic'))!;
    expect(f.notes).toEqual([]);
    expect(f.check('sock_send')).toEqual({
      allowed: false, rule: 'seccomp_profile:basic', reason: "sock_send is on the basic profile's denylist: sending to a socket: this sandbox grants no network",
    });
  });

  it('says when a profile name is read as basic (kavach matches "strict" exactly)', () => {
    const f = compileFilter(policy({ seccomp_enabled: true, seccomp_profile: 'Strict' }))!;
    expect(f.notes).toEqual(['seccomp_profile "Strict" is not "strict", so the basic denylist applies (kavach\'s rule)']);
  });

  it('wasi_filter overrides the profile, even with seccomp off', () => {
    const allow = compileFilter(policy({ seccomp_enabled: true, seccomp_profile: 'strict', wasi_filter: { mode: 'allow', calls: ['fd_write', 'path_symlink'] } }))!;
    expect(allow.rule).toBe('wasi_filter');
    expect(allow.check('path_symlink')).toEqual({ allowed: true });
    expect(allow.check('fd_read')).toEqual({ allowed: false, rule: 'wasi_filter', reason: "fd_read is not on the policy's wasi_filter allowlist" });
    expect(allow.notes).toContain('wasi_filter overrides seccomp_profile "strict"');

    const deny = compileFilter(policy({ wasi_filter: { mode: 'deny', calls: ['random_get'] } }))!;
    expect(deny.denied).toEqual(['random_get']);
    expect(deny.check('random_get')).toEqual({ allowed: false, rule: 'wasi_filter', reason: "random_get is on the policy's wasi_filter denylist" });
    expect(deny.check('sock_send')).toEqual({ allowed: true });
  });

  it('always allows proc_exit, even when a custom list leaves it out or denies it', () => {
    const allow = compileFilter(policy({ wasi_filter: { mode: 'allow', calls: [] } }))!;
    expect(allow.check('proc_exit')).toEqual({ allowed: true });
    expect(allow.denied).toHaveLength(WASI_CALLS.length - 1);
    expect(allow.notes).toContain('proc_exit is not listed but stays allowed: a program must be able to exit');
    const deny = compileFilter(policy({ wasi_filter: { mode: 'deny', calls: ['proc_exit', 'fd_write'] } }))!;
    expect(deny.check('proc_exit')).toEqual({ allowed: true });
    expect(deny.denied).toEqual(['fd_write']);
    expect(deny.notes).toContain('proc_exit is listed but stays allowed: a program must be able to exit');
  });

  it('refuses names outside preview1 under an allowlist and lets a denylist ignore them', () => {
    expect(compileFilter(presetPolicy('strict'))!.check('thread-spawn').allowed).toBe(false);
    expect(compileFilter(presetPolicy('basic'))!.check('thread-spawn').allowed).toBe(true);
  });
});
