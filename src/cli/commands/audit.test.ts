import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toJsonl, type AuditEvent } from '../../core/audit/index.ts';
import { run } from './audit.ts';
import { runCommand } from './fake-io.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('kavach-audit-');
const events: AuditEvent[] = [
  { seq: 0, time: 0, kind: 'lifecycle', event: 'created' },
  { seq: 1, time: 1, kind: 'call', fn: 'fd_write', args: { fd: 1 }, errno: 0, errnoName: 'SUCCESS' },
  { seq: 2, time: 2, kind: 'lifecycle', event: 'destroyed' },
];

beforeAll(async () => {
  const plain = await toJsonl(events);
  writeFileSync(join(dir, 'plain.jsonl'), plain);
  writeFileSync(join(dir, 'signed.jsonl'), await toJsonl(events, { hmacKey: 'k1' }));
  const lines = plain.trimEnd().split('\n');
  writeFileSync(join(dir, 'gap.jsonl'), [lines[0], lines[2]].join('\n') + '\n');
  writeFileSync(join(dir, 'tampered.jsonl'), plain.replace('"fd":1', '"fd":2'));
});

const audit = (argv: string[], stdin = '') => runCommand(run, argv, { cwd: dir, stdin });

describe('kavach audit verify', () => {
  it('reports an intact trail with its entry count', async () => {
    expect(await audit(['verify', 'plain.jsonl'])).toEqual({
      code: 0, out: 'ok: 3 entries, hash chain intact (HMAC not checked: no --hmac-key)\n', err: '',
    });
    expect(await audit(['verify', 'signed.jsonl', '--hmac-key', 'k1'])).toEqual({
      code: 0, out: 'ok: 3 entries, hash chain and HMAC chain intact\n', err: '',
    });
  });

  it('reports the first broken link with exit 1', async () => {
    expect(await audit(['verify', 'gap.jsonl'])).toMatchObject({
      code: 1, out: 'broken at line 2: serial 2 where 1 was expected: 1 entry is missing before this line, or lines were reordered\n',
    });
    expect(await audit(['verify', 'tampered.jsonl'])).toMatchObject({
      code: 1, out: 'broken at line 2: hash does not match the entry: it was changed after it was written\n',
    });
    expect((await audit(['verify', 'signed.jsonl', '--hmac-key', 'wrong'])).out).toMatch(/^broken at line 1: hmac does not match/);
    expect((await audit(['verify', 'plain.jsonl', '--hmac-key', 'k1'])).out).toBe('broken at line 1: no "hmac" field: the log was written without an HMAC key\n');
  });

  it('reads stdin for "-"', async () => {
    expect((await audit(['verify', '-'], 'not json\n'))).toMatchObject({ code: 1, out: expect.stringMatching(/^broken at line 1: not JSON/) });
  });

  it.each([
    [[], 'missing subcommand: verify'],
    [['check', 'x'], 'unknown subcommand "check" (only "verify")'],
    [['verify'], 'missing FILE to verify'],
    [['verify', 'a', 'b'], 'unexpected argument "b"'],
    [['verify', 'nope.jsonl'], 'cannot read nope.jsonl: ENOENT'],
    [['verify', 'plain.jsonl', '--hmac-key', ''], '--hmac-key is empty'],
  ])('rejects bad input %j with exit 2', async (argv, message) => {
    const r = await audit(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`kavach audit: ${message}`);
  });
});
