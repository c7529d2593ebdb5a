import { describe, expect, it } from 'vitest';
import { runCommand } from '../../testing/cli/fake-io.ts';
import { run } from './backends.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../io.ts';

describe('kavach backends', () => {
  it("prints kavach's table, its backends in its order, with wasm the one available here (main.rs:160-166)", async () => {
    expect(await runCommand(run, [])).toEqual({
      code: EXIT_OK,
      err: '',
      out: [
        'BACKEND         AVAILABLE',
        'process         no',
        'gvisor          no',
        'firecracker     no',
        'wasm            yes',
        'oci             no',
        'sgx             no',
        'sev             no',
        'tdx             no',
        'sy-agnos        no',
        'noop            no',
        '',
      ].join('\n'),
    });
  });

  it('takes no arguments', async () => {
    expect(await runCommand(run, ['wasm'])).toMatchObject({ code: EXIT_BAD_INPUT, err: expect.stringContaining('kavach backends: unexpected argument "wasm"') });
    expect((await runCommand(run, ['--help'])).out).toMatch(/^usage: kavach backends\n/);
  });
});
