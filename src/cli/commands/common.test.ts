import { describe, expect, it } from 'vitest';
import { fakeIO } from '../../testing/cli/fake-io.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../io.ts';
import { parseCommand } from './common.ts';

const FLAGS = { out: { type: 'string', short: 'o' }, quiet: { type: 'boolean' }, tag: { type: 'string', multiple: true } } as const;

describe('parseCommand', () => {
  it('gives the flags in command-line order, and the positionals', () => {
    const t = fakeIO();
    const parsed = parseCommand(['--tag', 'a', 'x', '-o', 'o.wasm', '--tag=b', '--quiet'], t.io, 'demo', 'help\n', FLAGS);
    expect(parsed).toEqual({
      values: { tag: ['a', 'b'], out: 'o.wasm', quiet: true },
      positionals: ['x'],
      tokens: [{ name: 'tag', value: 'a' }, { name: 'out', value: 'o.wasm' }, { name: 'tag', value: 'b' }, { name: 'quiet', value: undefined }],
    });
  });

  it('prints the help and returns EXIT_OK', () => {
    const t = fakeIO();
    expect(parseCommand(['-h'], t.io, 'demo', 'help\n', FLAGS)).toBe(EXIT_OK);
    expect(t.stdout()).toBe('help\n');
  });

  it('with trailing, leaves everything from the first positional (or after --) to the command', () => {
    const t = fakeIO();
    const parsed = parseCommand(['-o', '-x', 'm.wasm', '--quiet', '-h'], t.io, 'demo', 'help\n', FLAGS, { trailing: true, oneLine: true });
    expect(parsed).toMatchObject({ values: { out: '-x' }, positionals: ['m.wasm', '--quiet', '-h'] });
    expect(parseCommand(['--', '--quiet'], t.io, 'demo', 'help\n', FLAGS, { trailing: true })).toMatchObject({ positionals: ['--quiet'] });
  });

  it('hands what the table does not describe to `other`, in place', () => {
    const t = fakeIO();
    const taken: string[] = [];
    const parsed = parseCommand(['--tag', 'a', '-Wfoo', '-O2', '--tag', 'c', 'x'], t.io, 'demo', 'help\n', FLAGS, {
      other: (arg) => (arg === '-Wfoo' ? ['--tag=b'] : arg === '-O2' ? (taken.push(arg), []) : null),
    });
    expect(parsed).toMatchObject({ values: { tag: ['a', 'b', 'c'] }, positionals: ['x'] });
    expect(taken).toEqual(['-O2']);
  });

  it('reports a bad flag in one line, or with a pointer to --help', () => {
    const line = fakeIO();
    expect(parseCommand(['--bogus'], line.io, 'demo', 'help\n', FLAGS, { oneLine: true })).toBe(EXIT_BAD_INPUT);
    expect(parseCommand(['-o'], line.io, 'demo', 'help\n', FLAGS, { oneLine: true })).toBe(EXIT_BAD_INPUT);
    expect(line.stderr()).toBe('kavach demo: unknown option --bogus\nkavach demo: -o needs a value\n');
    const pointer = fakeIO();
    expect(parseCommand(['--bogus'], pointer.io, 'demo', 'help\n', FLAGS)).toBe(EXIT_BAD_INPUT);
    expect(pointer.stderr()).toMatch(/^kavach demo: Unknown option '--bogus'.*\nRun `kavach demo --help` for usage\.\n$/);
  });
});
