/**
 * `kavach exec`: kavach's own command for running something in a sandbox, with its flags and
 * defaults (main.rs:14-35, 93-158), mapped onto `kavach run` for the wasm backend, the only one
 * that runs here.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_FAILURE, type Command } from '../io.ts';
import { badInput, parseCommand } from './common.ts';
import { DEFAULT_BACKEND, DEFAULT_PRESET, DEFAULT_TIMEOUT_MS, KAVACH_BACKENDS, RUNS_HERE, backendName, parseBackend, resolvePreset } from './kavach-cli.ts';
import { run as runModule } from './run.ts';

export const HELP = `usage: kavach exec [-b NAME] [-p NAME] [--no-network] [-t MS] module.wasm [args...]

Runs a command in a sandbox, as kavach's \`kavach exec\` does; here the command is a WASI module
and the backend must be wasm (\`kavach exec -b wasm module.wasm\`). It is \`kavach run\` with
kavach's spelling and defaults: the preset's policy, a 30 s timeout and fuel derived from it.

  -b, --backend NAME   kavach backend (default: process, as kavach): ${KAVACH_BACKENDS.map((b) => b.name).join(', ')};
                       only wasm runs here
  -p, --policy NAME    kavach's preset: minimal, basic or strict (default: basic)
  --no-network         disable network access (there is none here whatever the policy says)
  -t, --timeout MS     timeout in milliseconds (default: 30000); fuel is MS x 1,000,000
  -h, --help           this text

kavach's WASM backend takes the whole command as the module's path and passes it no arguments;
here, when the words together are not a file, the first is the module and the rest its
arguments. Everything after the first word belongs to the command, flags included.

Exit status: as \`kavach run\` (the module's exit code; 124 on timeout; 1 when the output gate
withholds output); 1 when the backend cannot run here or no module is found, with kavach's
messages; 2 for bad input.
`;

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export const run: Command = async (argv, io) => {
  const bad = (message: string) => badInput(io, 'exec', message);
  // kavach's flags, then the command: everything from the first word that is not a flag (clap's trailing_var_arg).
  const parsed = parseCommand(argv, io, 'exec', HELP, {
    backend: { type: 'string', short: 'b' }, policy: { type: 'string', short: 'p' }, 'no-network': { type: 'boolean' }, timeout: { type: 'string', short: 't' },
  }, { trailing: true });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals: command } = parsed;
  const backend = parseBackend(values.backend ?? DEFAULT_BACKEND);
  if (!backend.ok) return bad(backend.message);
  const preset = values.policy ?? DEFAULT_PRESET;
  const policy = resolvePreset(preset, values['no-network'] === true);
  if (!policy.ok) return bad(policy.message);
  if (values.timeout !== undefined && !/^\d+$/.test(values.timeout)) return bad(`invalid value '${values.timeout}' for '--timeout <TIMEOUT>': expected milliseconds`);
  if (command.length === 0) return bad('the command to run is required: a .wasm module');

  if (!RUNS_HERE.has(backend.backend)) {
    // kavach: Sandbox::create fails for a backend that is not available (lifecycle/mod.rs 1.0.1:228-233).
    io.stderr(`kavach exec: error creating sandbox: backend not available: ${backendName(backend.backend)}\n`);
    io.stderr('kavach exec: only wasm runs here: kavach exec -b wasm module.wasm\n');
    return EXIT_FAILURE;
  }
  // kavach's WASM backend reads the whole command as a path (wasm/mod.rs:89-106).
  const whole = command.join(' ').trim();
  const [module, ...args] = isFile(resolve(io.cwd, whole)) ? [whole] : command;
  if (!isFile(resolve(io.cwd, module))) {
    io.stderr('kavach exec: error executing command: sandbox execution failed: WASM backend requires a .wasm file path as the command\n');
    return EXIT_FAILURE;
  }
  // The network is off in every preset, and there is none here: --no-network changes nothing to pass on.
  const timeout = values.timeout ?? String(DEFAULT_TIMEOUT_MS);
  return runModule(['--preset', preset, '--timeout-ms', timeout, '--', module, ...args], io);
};
