/**
 * The budget is the limit, attacked through the engine: host work that fuel did not pay for,
 * waits that fuel did not pay for, an exit the module catches, a loop in the start function, and
 * a filesystem grown past the memory cap. Each module is an attack program from attacks/src.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument, type SandboxConfigInput } from '../policy/index.ts';
import { Engine, type RunResult } from './engine.ts';
import { spawnNodeWorker } from './node/spawn-node.ts';
import { HOST_CALL_FUEL, RANDOM_BYTES_PER_FUEL } from '../wasi/cost.ts';

const attack = (name: string) => new Uint8Array(readFileSync(new URL(`../../../attacks/wasm/${name}.wasm`, import.meta.url)));
const engine = new Engine(spawnNodeWorker, { prewarm: true });
afterAll(() => engine.dispose());

async function run(name: string, config: SandboxConfigInput, args: string[] = []): Promise<RunResult> {
  const report = await engine.run({ module: attack(name), moduleName: `${name}.wasm`, config: parseDocument({ ...config, args }) }).result;
  if (!report.ok) throw new Error(`run failed: ${report.error.message}`);
  return report.result;
}

describe('promise: host work is paid for in fuel before the host does it', () => {
  it('16 MiB random_get calls under a budget of 100 million: the run ends after the calls the budget pays for', async () => {
    const budget = 100_000_000;
    const r = await run('random_flood', { fuel: budget, timeout_ms: 0 });
    expect(r.outcome).toEqual({ kind: 'fuel_exhausted', budget: BigInt(budget) });
    // Each call costs at least 16 MiB / RANDOM_BYTES_PER_FUEL: at most budget / that many calls ran.
    const perCall = 16 * 1024 * 1024 / RANDOM_BYTES_PER_FUEL + HOST_CALL_FUEL;
    const calls = r.stdout.length;
    expect(calls).toBeLessThanOrEqual(Math.floor(budget / perCall));
    expect(calls).toBeGreaterThanOrEqual(Math.floor(budget / perCall) - 1);
    // Reported honestly: the call that could not be paid for shows as consumption past the budget.
    expect(r.fuel.consumed).toBeGreaterThan(BigInt(budget));
    expect(r.fuel.consumed).toBeLessThan(BigInt(budget + 2 * perCall));
  });

  it('the call that could not be paid for is in the audit trail as not returned', async () => {
    const r = await run('random_flood', { fuel: 40_000_000, timeout_ms: 0 });
    const last = r.audit.events.filter((e) => e.kind === 'call').pop();
    expect(last).toMatchObject({ fn: 'random_get', errnoName: 'DID_NOT_RETURN' });
  });
});

describe('promise: a run with fuel and no timeout ends, even when it waits', () => {
  it('an hour-long poll_oneoff sleep under fuel only ends at once, out of fuel, without sleeping', async () => {
    const r = await run('sleep_forever', { fuel: 1_000_000_000, timeout_ms: 0 });
    expect(r.outcome.kind).toBe('fuel_exhausted');
    expect(r.stdout).toBe('');
    expect(r.duration_ms).toBeLessThan(3_600_000);
  });

  it('the same sleep paid for runs to its end: a sleep costs 1 fuel per nanosecond asked for', async () => {
    // 3.6e12 ns asked for; a budget just over that pays for the sleep, which the virtual clock makes instant.
    const r = await run('sleep_forever', { fuel: 3_600_001_000_000, timeout_ms: 0, deterministic: { random_seed: 1 } });
    expect(r.outcome).toEqual({ kind: 'exit', code: 0 });
    expect(r.stdout).toBe('awake\n');
    expect(r.fuel.consumed).toBeGreaterThan(3_600_000_000_000n);
  });

  it('with a timeout, the deadline ends the wait and the wait costs no fuel', async () => {
    const r = await run('sleep_forever', { timeout_ms: 300 });
    expect(r.outcome).toEqual({ kind: 'timeout', afterMs: 300 });
  });
});

describe('promise: proc_exit ends the run for good', () => {
  it('a module that catches the exit (catch_all around proc_exit(7)) still exits 7 and prints nothing after it', async () => {
    const r = await run('catch_exit', {});
    expect(r.outcome).toEqual({ kind: 'exit', code: 7 });
    expect(r.stdout).toBe('');
  });

  it('the same without metering (no fuel, no timeout)', async () => {
    const r = await run('catch_exit', { timeout_ms: 0 });
    expect(r.outcome).toEqual({ kind: 'exit', code: 7 });
    expect(r.stdout).toBe('');
  });
});

describe('promise: the filesystem is part of the memory cap, in the engine the page uses too', () => {
  const mount = { policy: { memory_limit_mb: 16, landlock_rules: [{ path: '/m', access: 'rw' }] }, timeout_ms: 60_000 };
  it('twenty 1 GiB ftruncates: refused, nothing allocated', async () => {
    const r = await run('fsops', mount, ['bombtrunc', '/m', '20', '1073741824']);
    expect(r.stdout).toContain('bombtrunc /m: 0 made');
    expect(r.stdout).toMatch(/bombtrunc \/m: File too large/);
  });

  it('a write stream stops at the budget with ENOSPC, and the mount comes back no larger', async () => {
    const r = await run('fsops', mount, ['fill', '/m/big', '2147483648']);
    expect(r.stdout).toMatch(/fill \/m\/big: No space left on device/);
    const big = r.mounts?.[0].entries.find((e) => e.path === 'big');
    expect(big?.data?.length).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('without a memory cap the page\'s default budget (256 MiB) holds', async () => {
    const r = await run('fsops', { policy: { landlock_rules: [{ path: '/m', access: 'rw' }] }, timeout_ms: 60_000 },
      ['truncate', '/m/a', String(200 * 1024 * 1024), 'truncate', '/m/b', String(100 * 1024 * 1024)]);
    expect(r.stdout).toContain('truncate /m/a: ok');
    expect(r.stdout).toMatch(/truncate \/m\/b: No space left on device/);
  });

  it('a file removed while open stays charged until it is closed', async () => {
    const r = await run('fsops', mount, ['fill', '/m/a', String(10 * 1024 * 1024), 'rm', '/m/a', 'fill', '/m/b', String(10 * 1024 * 1024)]);
    // The first file is closed by fill and removed: its bytes are free again for the second.
    expect(r.stdout).toMatch(/fill \/m\/b: 10485760 bytes written/);
  });
});

describe('promise: a loop in the start function ends as fuel exhaustion', () => {
  it('an endless start function stops out of fuel (124 in the CLI), not as a trap', async () => {
    const r = await run('start_loop', { fuel: 5_000_000, timeout_ms: 0 });
    expect(r.outcome).toEqual({ kind: 'fuel_exhausted', budget: 5_000_000n });
    expect(r.fuel.consumed).toBeGreaterThanOrEqual(5_000_000n);
    expect(r.fuel.consumed).toBeLessThanOrEqual(5_001_000n);
  });
});

describe('promise: an atomic wait under fuel only ends', () => {
  it('memory.atomic.wait32 with an endless timeout on a shared memory ends out of fuel at once', async () => {
    const r = await run('atomic_wait', { fuel: 1_000_000_000, timeout_ms: 0 });
    expect(r.stdout).toBe('waiting\n');
    expect(r.outcome).toEqual({ kind: 'fuel_exhausted', budget: 1_000_000_000n });
  });
});

describe('promise: the module\'s own work stops at its budget, however it is arranged', () => {
  it('100 calls per loop pass into a loop-free leaf of 2,000 operators: about budget / 200,000 passes, not 1,000 times more', async () => {
    const budget = 100_000_000;
    const r = await run('leaf_calls', { fuel: budget, timeout_ms: 0 });
    expect(r.outcome).toEqual({ kind: 'fuel_exhausted', budget: BigInt(budget) });
    // One pass is 100 x ~2,000 operators: the dots (one per pass) count the work done.
    const passes = r.stdout.length;
    expect(passes).toBeGreaterThan(400);
    expect(passes).toBeLessThanOrEqual(Math.ceil((budget / 200_000) * 1.1));
  });
});
