import { describe, expect, it } from 'vitest';
import { runCommand } from '../../testing/cli/fake-io.ts';
import { run } from './exec.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from '../io.ts';

const root = new URL('../../../', import.meta.url).pathname;
const exec = (argv: string[], stdin = '') => runCommand(run, argv, { cwd: root, stdin });

describe('kavach exec', () => {
  it('runs a module on the wasm backend, with kavach\'s flags (main.rs:14-35)', async () => {
    expect(await exec(['-b', 'wasm', 'public/examples/hello.wasm'])).toMatchObject({ code: EXIT_OK, out: 'Hello from WebAssembly!\n' });
    expect(await exec(['--backend=WASM', '-p', 'strict', '-t', '5000', 'public/examples/hello.wasm'])).toMatchObject({ code: EXIT_OK, out: 'Hello from WebAssembly!\n' });
  });

  it('passes the words after the module to it as arguments, flags included (clap trailing_var_arg)', async () => {
    const r = await exec(['-b', 'wasm', 'public/examples/exit_code.wasm', '7']);
    expect(r.code).toBe(7);
    const flags = await exec(['-bwasm', 'public/examples/args_env.wasm', '-t', '--x']);
    expect(flags).toMatchObject({ code: EXIT_OK });
    expect(flags.out).toContain('-t');
    expect(flags.out).toContain('--x');
  });

  it("fails as kavach does for a backend that does not run here, process by default (lifecycle/mod.rs 1.0.1:228-233)", async () => {
    const r = await exec(['public/examples/hello.wasm']);
    expect(r).toMatchObject({ code: EXIT_FAILURE, out: '' });
    expect(r.err).toBe('kavach exec: error creating sandbox: backend not available: process\nkavach exec: only wasm runs here: kavach exec -b wasm module.wasm\n');
    expect((await exec(['-b', 'syagnos', 'x.wasm'])).err).toContain('backend not available: sy-agnos');
  });

  it('fails with kavach\'s message when the command is not a file (wasm/mod.rs:93-106)', async () => {
    expect(await exec(['-b', 'wasm', 'nope.wasm'])).toMatchObject({
      code: EXIT_FAILURE, err: 'kavach exec: error executing command: sandbox execution failed: WASM backend requires a .wasm file path as the command\n',
    });
  });

  it.each([
    [['-b', 'qemu', 'x.wasm'], 'unknown backend: qemu'],
    [['-b', 'wasm', '-p', 'Paranoid', 'x.wasm'], 'unknown policy: paranoid (use minimal, basic, strict)'],
    [['-b', 'wasm', '-t', 'soon', 'x.wasm'], "invalid value 'soon' for '--timeout <TIMEOUT>'"],
    [['-b', 'wasm'], 'the command to run is required'],
    [['--fuel', '3', 'x.wasm'], "Unknown option '--fuel'"],
  ])('rejects bad input %j with exit 2', async (argv, message) => {
    const r = await exec(argv);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toContain(`kavach exec: ${message}`);
  });

  it('prints its help', async () => {
    expect((await exec(['--help'])).out).toMatch(/^usage: kavach exec /);
  });
});
