import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../testing/cli/fake-io.ts';
import { run } from './scan.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from '../io.ts';

const dir = tempDir('kavach-scan-');
writeFileSync(join(dir, 'clean.txt'), 'all good\n');
writeFileSync(join(dir, 'leak.txt'), 'line one\nkey: AKIAIOSFODNN7EXAMPLE\n');
writeFileSync(join(dir, 'mail.txt'), 'contact bob@example.com\n');
writeFileSync(join(dir, 'lenient.json'), JSON.stringify({ externalization: { block_threshold: 'critical', quarantine_threshold: 'critical' } }));
writeFileSync(join(dir, 'strictgate.json'), JSON.stringify({ externalization: { block_threshold: 'low' } }));
writeFileSync(join(dir, 'infogate.json'), JSON.stringify({ externalization: { block_threshold: 'info' } }));
writeFileSync(join(dir, 'nogate.json'), JSON.stringify({ backend: 'Wasm', externalization: null }));

const scan = (argv: string[], stdin = '') => runCommand(run, argv, { cwd: dir, stdin });

describe('kavach scan', () => {
  it('passes clean text with exit 0', async () => {
    expect(await scan(['clean.txt'])).toEqual({ code: EXIT_OK, out: 'verdict: pass\nfindings: 0\n', err: '' });
  });

  it('blocks a critical finding with exit 1 and points at it without repeating it', async () => {
    const r = await scan(['leak.txt']);
    expect(r.code).toBe(EXIT_FAILURE);
    expect(r.out).toBe([
      'verdict: block',
      'error: externalization blocked: blocked: 1 finding(s), worst severity: critical',
      'findings: 1',
      '  2:6  aws_access_key  cloud_credential  critical  AKIA…',
      '',
    ].join('\n'));
  });

  it('reads stdin when no FILE is given, or "-"', async () => {
    for (const argv of [[], ['-']]) {
      const r = await scan(argv, 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz');
      expect(r.code).toBe(EXIT_FAILURE);
      expect(r.out).toMatch(/^verdict: quarantine\n/);
    }
  });

  it('warns with exit 0, and --redacted prints the releasable text with the report on stderr', async () => {
    const plain = await scan(['mail.txt']);
    expect(plain.code).toBe(EXIT_OK);
    expect(plain.out).toMatch(/^verdict: warn\nfindings: 1\n  1:9  email  pii  low  bob@…\n$/);
    const r = await scan(['mail.txt', '--redacted']);
    expect(r).toMatchObject({ code: EXIT_OK, out: 'contact [REDACTED:pii]\n' });
    expect(r.err).toMatch(/^verdict: warn\n/);
    const withheld = await scan(['leak.txt', '--redacted']);
    expect(withheld).toMatchObject({ code: EXIT_FAILURE, out: '' });
  });

  it("uses a policy document's gate thresholds (--policy-file, or --policy)", async () => {
    expect((await scan(['mail.txt', '--policy-file', 'strictgate.json'])).code).toBe(EXIT_FAILURE);
    const bearer = await scan(['--policy', 'lenient.json'], 'bearer abcdefghijklmnopqrstuvwxyz');
    expect(bearer).toMatchObject({ code: EXIT_OK });
    expect(bearer.out).toMatch(/^verdict: warn\n/);
  });

  it('counts one finding per pattern, as kavach, and says how many matches there were', async () => {
    const r = await scan(['-'], 'a@example.com\nb@example.com\n');
    expect(r.out).toBe('verdict: warn\nfindings: 1\n  1:1  email  pii  low  a@ex…\nmatches: 2 (kavach counts the first of each pattern)\n');
  });

  it("withholds clean text when a threshold is info, as kavach's worst severity is then info", async () => {
    const r = await scan(['clean.txt', '--policy-file', 'infogate.json']);
    expect(r).toMatchObject({ code: EXIT_FAILURE, out: 'verdict: block\nerror: externalization blocked: blocked: 0 finding(s), worst severity: info\nfindings: 0\n' });
  });

  it('runs no gate for a document whose externalization is null, as kavach', async () => {
    const r = await scan(['leak.txt', '--policy-file', 'nogate.json']);
    expect(r).toMatchObject({ code: EXIT_OK, out: 'verdict: pass\nnote: off (externalization is null, which kavach reads as no gate): output released unscanned\nfindings: 0\n' });
  });

  it.each([
    [['--policy', 'lenient.json', '--policy-file', 'lenient.json'], 'give --policy-file or --policy, not both'],
    [['nope.txt'], 'cannot read nope.txt: ENOENT'],
    [['a.txt', 'b.txt'], 'expected at most one FILE, got 2'],
    [['--policy', 'nope.json', 'clean.txt'], 'cannot read policy nope.json: ENOENT'],
    [['--strict'], "Unknown option '--strict'"],
  ])('rejects bad input %j with exit 2', async (argv, message) => {
    const r = await scan(argv);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toContain(`kavach scan: ${message}`);
  });

  it('documents its exit codes in --help', async () => {
    const r = await scan(['--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain('Exit status: 0 pass or warn (the output may be released); 1 quarantine or block');
  });
});
