/**
 * The CLI as a person feels it: `kavach run hello.wasm` as a whole process, start to exit, against
 * the same module under node:wasi from a minimal script (the yardstick), alternating, in one run.
 * Also checks that no process is left behind (an esbuild service once was).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Suite } from '../types.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const HELLO = join(ROOT, 'public/examples/hello.wasm');
const RUNS = 15;

const YARDSTICK = `import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const wasi = new WASI({ version: 'preview1', args: ['hello.wasm'], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(process.argv[2]));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
`;

/** Wall time (ms) and peak resident memory (KB) of a whole process, from /usr/bin/time. */
function measure(args: string[]): { ms: number; kb: number } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0 || r.stdout !== 'Hello from WebAssembly!\n') throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { ms, kb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Processes whose command line mentions esbuild or kavach, but for this benchmark's own. */
function leftovers(): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' }).stdout.split('\n');
  return ps.filter((l) => /esbuild --service|bin\/kavach\.mjs/.test(l) && !l.includes(String(process.pid)));
}

export const run: Suite = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kavach-bench-cli-'));
  const script = join(dir, 'yardstick.mjs');
  writeFileSync(script, YARDSTICK);
  const kavach = [join(ROOT, 'bin/kavach.mjs'), 'run', HELLO];
  const yardstick = ['--no-warnings', script, HELLO];
  const before = leftovers().length;
  measure(kavach);
  measure(yardstick);
  const k: { ms: number; kb: number }[] = [];
  const y: { ms: number; kb: number }[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const first = i % 2 === 0;
    const a = measure(first ? kavach : yardstick);
    const b = measure(first ? yardstick : kavach);
    const [kv, ys] = first ? [a, b] : [b, a];
    k.push(kv);
    y.push(ys);
    ratios.push(kv.ms / ys.ms);
  }
  const after = leftovers().length;
  rmSync(dir, { recursive: true, force: true });
  const ratio = median(ratios);
  return [{
    title: '`kavach run hello.wasm`, the whole CLI process',
    runtime: `Node ${process.versions.node}`,
    figures: [
      { name: 'yardstick: node:wasi from a 6-line script, whole process', value: median(y.map((r) => r.ms)), unit: 'ms' },
      { name: 'kavach run hello.wasm, whole process', value: median(k.map((r) => r.ms)), unit: 'ms' },
      { name: `kavach / node:wasi (median of ${RUNS} alternating pairs)`, value: ratio, unit: 'ratio', target: '<= 2', ok: ratio <= 2 },
      { name: 'peak memory, node:wasi', value: median(y.map((r) => r.kb)) / 1024, unit: 'MiB' },
      { name: 'peak memory, kavach run', value: median(k.map((r) => r.kb)) / 1024, unit: 'MiB' },
      { name: 'processes left behind', value: after - before, unit: 'count', target: '0', ok: after === before },
    ],
  }];
};
