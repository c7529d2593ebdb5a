import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toJsonl, type AuditEvent } from '../../core/audit/index.ts';
import type { CliIO } from '../io.ts';
import { MAX_TRAIL_BYTES, run } from './audit.ts';
import { runCommand } from '../../testing/cli/fake-io.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_AUDIT_INCOMPLETE, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from '../io.ts';

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
  writeFileSync(join(dir, 'gap.jsonl'), [lines[0], lines[2], lines[3]].join('\n') + '\n');
  writeFileSync(join(dir, 'tampered.jsonl'), plain.replace('"fd":1', '"fd":2'));
  writeFileSync(join(dir, 'cut.jsonl'), lines.slice(0, 2).join('\n') + '\n');
  writeFileSync(join(dir, 'empty.jsonl'), '');
  writeFileSync(join(dir, 'twice.jsonl'), plain.replace('"serial":1,', '"serial":1,"serial":1,'));
  writeFileSync(join(dir, 'huge.jsonl'), '');
  truncateSync(join(dir, 'huge.jsonl'), 5 * 2 ** 30); // sparse: 5 GiB that take no room
});

const audit = (argv: string[], stdin = '') => runCommand(run, argv, { cwd: dir, stdin });

describe('kavach audit verify', () => {
  it('reports a complete, intact trail with its entry count', async () => {
    expect(await audit(['verify', 'plain.jsonl'])).toEqual({
      code: EXIT_OK, out: 'ok: 3 entries and the audit.end record, hash chain intact (HMAC not checked: no --hmac-key)\n', err: '',
    });
    expect(await audit(['verify', 'signed.jsonl', '--hmac-key', 'k1'])).toEqual({
      code: EXIT_OK, out: 'ok: 3 entries and the audit.end record, hash chain and HMAC chain intact\n', err: '',
    });
  });

  it('reports the first broken link with exit 1', async () => {
    expect(await audit(['verify', 'gap.jsonl'])).toMatchObject({
      code: EXIT_FAILURE, out: 'broken at line 2: serial 2 where 1 was expected: 1 entry is missing before this line, or lines were reordered\n',
    });
    expect(await audit(['verify', 'tampered.jsonl'])).toMatchObject({
      code: EXIT_FAILURE, out: 'broken at line 2: hash does not match the entry: it was changed after it was written\n',
    });
    expect((await audit(['verify', 'signed.jsonl', '--hmac-key', 'wrong'])).out).toMatch(/^broken at line 1: hmac does not match/);
    expect((await audit(['verify', 'plain.jsonl', '--hmac-key', 'k1'])).out).toBe('broken at line 1: no "hmac" field: the log was written without an HMAC key\n');
  });

  it('reports a trail whose last lines were cut off as incomplete, with exit 3', async () => {
    expect(await audit(['verify', 'cut.jsonl'])).toEqual({
      code: EXIT_AUDIT_INCOMPLETE, err: '',
      out: 'incomplete: 2 entries, hash chain intact (HMAC not checked: no --hmac-key), but no audit.end record at the end: lines were cut off, or the export did not finish\n',
    });
  });

  it('reports an entry with a key written twice as broken', async () => {
    expect(await audit(['verify', 'twice.jsonl'])).toMatchObject({
      code: EXIT_FAILURE, out: 'broken at line 2: key "serial" appears twice in one object: readers disagree on which value counts\n',
    });
  });

  it('refuses an empty file, and stdin, as not a trail, in one line with exit 2', async () => {
    expect(await audit(['verify', 'empty.jsonl'])).toEqual({ code: EXIT_BAD_INPUT, out: '', err: 'kavach audit: empty.jsonl is empty: not an audit trail\n' });
    expect(await audit(['verify', '-'], '\n')).toEqual({ code: EXIT_BAD_INPUT, out: '', err: 'kavach audit: stdin is empty: not an audit trail\n' });
  });

  it('refuses input over 64 MiB in one line, without reading it all', async () => {
    expect(await audit(['verify', 'huge.jsonl'])).toEqual({ code: EXIT_BAD_INPUT, out: '', err: 'kavach audit: huge.jsonl is 5 GiB; the most kavach reads is 64 MiB\n' });
    // A device that never ends is not read at all.
    expect(await audit(['verify', '/dev/zero'])).toEqual({ code: EXIT_BAD_INPUT, out: '', err: 'kavach audit: /dev/zero is not a regular file (it is a character device)\n' });
    // stdin is asked for at most the limit and one byte more.
    const asked: (number | undefined)[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: () => {}, stderr: (t) => void err.push(String(t)), cwd: dir, env: {}, readStdin: async (limit) => {
      asked.push(limit);
      return new Uint8Array((limit ?? 0) + 1);
    } };
    expect(await run(['verify', '-'], io)).toBe(EXIT_BAD_INPUT);
    expect(asked).toEqual([MAX_TRAIL_BYTES]);
    expect(err.join('')).toBe('kavach audit: stdin is over the 64 MiB limit\n');
  });

  it('reads stdin for "-"', async () => {
    expect((await audit(['verify', '-'], 'not json\n'))).toMatchObject({ code: EXIT_FAILURE, out: expect.stringMatching(/^broken at line 1: not JSON/) });
  });

  it.each([
    [[], 'missing subcommand: verify'],
    [['check', 'x'], 'unknown subcommand "check" (only "verify")'],
    [['verify'], 'missing FILE to verify'],
    [['verify', 'a', 'b'], 'unexpected argument "b"'],
    [['verify', 'plain.jsonl', '--hmac-key', ''], '--hmac-key is empty'],
  ])('rejects bad input %j with exit 2', async (argv, message) => {
    const r = await audit(argv);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toContain(`kavach audit: ${message}`);
  });

  it('says in one line when the file cannot be read', async () => {
    expect(await audit(['verify', 'nope.jsonl'])).toEqual({ code: EXIT_BAD_INPUT, out: '', err: 'kavach audit: cannot read nope.jsonl: ENOENT (no such file or directory)\n' });
  });

  it('documents the end record and every exit status in its help', async () => {
    const { out } = await audit(['--help']);
    expect(out).toContain('audit.end record');
    expect(out).toMatch(/0 complete and intact; 1 broken; 2 bad input \(unreadable, empty, over 64 MiB, bad\narguments\); 3 incomplete/);
  });
});
