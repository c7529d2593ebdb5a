/**
 * Write-back: a program writing 1,000 files (1 KiB each) into a read-write host directory that
 * already holds 200 files, as `kavach run --dir` does it: copy-in, run, write-back, whole.
 *
 * Baseline, measured in the same run: the write-back this project had before it became a
 * transaction of the guest's changes (issue 12): copy every regular file in, get the whole tree
 * back, write every file out again and delete what the tree lacks. It is kept here, and only
 * here, as the yardstick; it followed host symlinks, which is why it was replaced.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/runner/engine.ts';
import { spawnNodeWorker } from '../../src/core/runner/node/spawn-node.ts';
import { parseDocument } from '../../src/core/policy/index.ts';
import { FsBudget } from '../../src/core/wasi/budget.ts';
import type { MountEntry } from '../../src/core/wasi/tree.ts';
import { copyIn, writeBack } from '../../src/cli/host-mounts.ts';
import type { Suite } from '../types.ts';

const FSOPS = new Uint8Array(readFileSync(new URL('../../attacks/wasm/fsops.wasm', import.meta.url)));
const FILES = 1000;
const EXISTING = 200;
const PAIRS = 9;

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kavach-bench-wb-'));
  for (let i = 0; i < EXISTING; i++) writeFileSync(join(dir, `old${i}.txt`), `existing file ${i}\n`.repeat(20));
  return dir;
}

const config = parseDocument({ timeout_ms: 60_000, args: ['many', '/out', String(FILES), '1024'], policy: { landlock_rules: [{ path: '/out', access: 'rw' }] } });

/** The write-back it replaced: read everything in; mirror the final tree back; prune the rest. */
async function mirror(engine: Engine, dir: string): Promise<number> {
  const t = performance.now();
  const entries: MountEntry[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        entries.push({ path: rel + name + '/', data: null });
        walk(p, rel + name + '/');
      } else if (st.isFile()) entries.push({ path: rel + name, data: new Uint8Array(readFileSync(p)) });
    }
  };
  walk(dir, '');
  const report = await engine.run({ module: FSOPS, moduleName: 'fsops.wasm', config, mountContents: new Map([['/out', entries]]) }).result;
  if (!report.ok) throw new Error(report.error.message);
  const after = report.result.mounts?.[0].entries ?? [];
  const keep = new Set<string>();
  for (const e of after) {
    const target = join(dir, e.path);
    keep.add(target.replace(/\/$/, ''));
    if (e.path.endsWith('/')) mkdirSync(target, { recursive: true });
    else if (e.data !== null) writeFileSync(target, e.data);
  }
  const prune = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (lstatSync(p).isDirectory()) {
        prune(p);
        if (!keep.has(p)) rmSync(p, { recursive: true, force: true });
      } else if (!keep.has(p)) rmSync(p, { force: true });
    }
  };
  prune(dir);
  return performance.now() - t;
}

/** Today's: copy-in with a record of the host, the changes back, applied as a transaction. */
async function transaction(engine: Engine, dir: string): Promise<number> {
  const t = performance.now();
  const [copied] = copyIn([{ host: dir, guest: '/out', readOnly: false, origin: `--dir ${dir}` }], '/', new FsBudget({ maxBytes: 1 << 30, maxInodes: 100_000, maxFileBytes: 1 << 30 }), []);
  const report = await engine.run({ module: FSOPS, moduleName: 'fsops.wasm', config, mountContents: new Map([['/out', copied.entries]]), mountReport: 'changes' }).result;
  if (!report.ok) throw new Error(report.error.message);
  const wb = writeBack(copied, report.result.mounts?.[0].entries ?? [], { conflicts: 'host' });
  if (wb.problems.length > 0) throw new Error(wb.problems.join('\n'));
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const run: Suite = async () => {
  const engine = new Engine(spawnNodeWorker, { prewarm: true });
  const once = async (f: typeof mirror) => {
    const dir = freshDir();
    try {
      const ms = await f(engine, dir);
      if (readdirSync(dir).length !== FILES + EXISTING) throw new Error(`write-back left ${readdirSync(dir).length} files`);
      return ms;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await once(mirror);
  await once(transaction); // warm both paths
  const ratios: number[] = [];
  const olds: number[] = [];
  const news: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const first = i % 2 === 0 ? mirror : transaction;
    const a = await once(first);
    const b = await once(first === mirror ? transaction : mirror);
    const [old, now] = first === mirror ? [a, b] : [b, a];
    olds.push(old);
    news.push(now);
    ratios.push(now / old);
  }
  engine.dispose();
  const ratio = median(ratios);
  return [{
    title: `Write-back: a program writing ${FILES.toLocaleString('en-US')} files of 1 KiB into a directory holding ${EXISTING}`,
    runtime: `Node ${process.versions.node}`,
    figures: [
      { name: 'baseline: mirror write-back (before issue 12), copy-in + run + write-back', value: median(olds), unit: 'ms' },
      { name: 'transaction write-back (now), copy-in + run + write-back', value: median(news), unit: 'ms' },
      { name: `transaction / mirror (median of ${PAIRS} alternating pairs)`, value: ratio, unit: 'ratio', target: '<= 1.20', ok: ratio <= 1.2 },
    ],
  }];
};
