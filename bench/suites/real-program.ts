/**
 * A real program end to end: Yosys (the open synthesis suite, a 30 MB WASI preview1 build from the
 * npm package @yowasp/yosys) synthesises a generated Verilog design, reading it from a read-only
 * mount (with Yosys's own share/ tree, also read-only) and writing a JSON netlist and a report to a
 * read-write mount, through the CLI with fuel on, against the same module under node:wasi from a
 * minimal script (the yardstick), whole processes, alternating; the output bytes must be identical.
 *
 * The package is fetched with `npm pack` into bench/.cache (not committed); without the registry
 * the suite says so and reports nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASM_TIERING_BUDGET } from '../../src/cli/wasm-tiering.cjs';
import type { Suite } from '../types.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, 'bench/.cache/yosys');
const PACKAGE = '@yowasp/yosys@0.55.944';
const PAIRS = 5;
const STAGES = 2;
const SCRIPT = 'read_verilog /in/design.v; synth -top top; tee -q -o /out/stat.txt stat; write_json /out/out.json';

/** The module and Yosys's share/ tree, from the npm package (fetched once). */
async function fetchYosys(): Promise<{ wasm: string; share: string } | string> {
  const wasm = join(CACHE, 'package/gen/yosys.core.wasm');
  const share = join(CACHE, 'share');
  if (!existsSync(wasm) || !existsSync(share)) {
    mkdirSync(CACHE, { recursive: true });
    try {
      const tgz = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', CACHE, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop() as string;
      execFileSync('tar', ['xzf', join(CACHE, tgz), '-C', CACHE]);
    } catch (e) {
      return `could not fetch ${PACKAGE} from the npm registry: ${(e as Error).message.split('\n')[0]}`;
    }
    // The package keeps share/ as a JS object of file contents; write it out as files.
    const { filesystem } = (await import(join(CACHE, 'package/gen/resources-yosys.js'))) as { filesystem: Record<string, unknown> };
    const write = (dir: string, tree: Record<string, unknown>) => {
      mkdirSync(dir, { recursive: true });
      for (const [name, v] of Object.entries(tree)) {
        if (typeof v === 'string') writeFileSync(join(dir, name), v);
        else write(join(dir, name), v as Record<string, unknown>);
      }
    };
    write(CACHE, filesystem);
  }
  return { wasm, share };
}

/** A pipeline of multiply-accumulate stages: a few seconds of synthesis. */
function design(stages: number): string {
  const lines = ['module top(input clk, input [31:0] a, input [31:0] b, output reg [31:0] y);'];
  for (let i = 0; i < stages; i++) lines.push(`  reg [31:0] acc${i};`);
  for (let i = 0; i < stages; i++) {
    const prev = i === 0 ? 'a' : `acc${i - 1}`;
    lines.push(`  always @(posedge clk) acc${i} <= ${prev} * (b + 32'd${i * 7 + 3}) + (acc${i} ^ ${prev});`);
  }
  lines.push(`  always @(posedge clk) y <= acc${stages - 1};`, 'endmodule', '');
  return lines.join('\n');
}

const YARDSTICK = `import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
const [wasm, share, input, output, scratch, script] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: ['yosys', '-q', '-p', script], env: {}, returnOnExit: true,
  preopens: { '/share': share, '/in': input, '/out': output, '/tmp': scratch } });
const module = await WebAssembly.compile(readFileSync(wasm));
process.exitCode = wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
`;

function timed(args: string[]): { ms: number; mib: number } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { ms, mib: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export const run: Suite = async () => {
  const got = await fetchYosys();
  const title = `A real program: Yosys (${PACKAGE}, 30 MB of WASI) synthesising a design, ro and rw mounts, fuel on`;
  if (typeof got === 'string') {
    console.log(`   skipped: ${got}`);
    return [];
  }
  const work = mkdtempSync(join(tmpdir(), 'kavach-bench-yosys-'));
  const input = join(work, 'in');
  mkdirSync(input);
  writeFileSync(join(input, 'design.v'), design(STAGES));
  const yardstick = join(work, 'yardstick.mjs');
  writeFileSync(yardstick, YARDSTICK);
  const fresh = (name: string) => {
    const dir = join(work, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    return dir;
  };
  const viaNodeWasi = () => {
    const out = fresh('out-node');
    return { ...timed(['--no-warnings', yardstick, got.wasm, got.share, input, out, fresh('tmp-node'), SCRIPT]), out };
  };
  const viaKavach = () => {
    const out = fresh('out-kavach');
    const r = timed([join(ROOT, 'bin/kavach.mjs'), 'run', '--timeout-ms', '600000',
      '--ro-dir', `${got.share}::/share`, '--ro-dir', `${input}::/in`, '--dir', `${out}::/out`, '--dir', `${fresh('tmp-kavach')}::/tmp`,
      got.wasm, '-q', '-p', SCRIPT]);
    return { ...r, out };
  };
  // The same yardstick running the module as kavach instruments it (same fuel): what metering
  // alone costs this program, apart from the CLI, the WASI layer and the mounts.
  const metered = join(work, 'metered.wasm');
  execFileSync(process.execPath, [join(ROOT, 'bin/kavach.mjs'), 'instrument', got.wasm, '-o', metered, '--fuel', String(600_000n * 1_000_000n)]);
  const viaNodeWasiMetered = () => {
    const out = fresh('out-metered');
    return timed(['--no-warnings', yardstick, metered, got.share, input, out, fresh('tmp-metered'), SCRIPT]);
  };
  // The same yardstick with the V8 tiering budget the CLI sets for its runs (src/cli/wasm-tiering.cjs):
  // how much of the CLI's time is that setting, which node:wasi could use too.
  const viaNodeWasiTuned = () => {
    const out = fresh('out-tuned');
    return timed([`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`, '--no-warnings', yardstick, got.wasm, got.share, input, out, fresh('tmp-tuned'), SCRIPT]);
  };
  const node: { ms: number; mib: number }[] = [];
  const tunedRuns: { ms: number; mib: number }[] = [];
  const meteredRuns: { ms: number; mib: number }[] = [];
  const kavach: { ms: number; mib: number }[] = [];
  const ratios: number[] = [];
  let identical = true;
  for (let i = 0; i < PAIRS; i++) {
    const first = i % 2 === 0;
    const a = first ? viaKavach() : viaNodeWasi();
    const b = first ? viaNodeWasi() : viaKavach();
    const [k, n] = first ? [a, b] : [b, a];
    for (const file of ['out.json', 'stat.txt']) {
      if (!readFileSync(join(k.out, file)).equals(readFileSync(join(n.out, file)))) identical = false;
    }
    kavach.push(k);
    node.push(n);
    meteredRuns.push(viaNodeWasiMetered());
    tunedRuns.push(viaNodeWasiTuned());
    ratios.push(k.ms / n.ms);
  }
  const outBytes = readFileSync(join(work, 'out-kavach', 'out.json')).length;
  rmSync(work, { recursive: true, force: true });
  const time = median(ratios);
  const memory = median(kavach.map((r) => r.mib)) / median(node.map((r) => r.mib));
  return [{
    title,
    runtime: `Node ${process.versions.node}`,
    figures: [
      { name: `yardstick: node:wasi, whole process (median of ${PAIRS})`, value: median(node.map((r) => r.ms)), unit: 'ms' },
      { name: `kavach run, whole process (median of ${PAIRS})`, value: median(kavach.map((r) => r.ms)), unit: 'ms' },
      { name: 'kavach / node:wasi, time (median of alternating pairs)', value: time, unit: 'ratio', target: '<= 1.25', ok: time <= 1.25 },
      { name: 'of which metering: node:wasi running the instrumented module / the plain one', value: median(meteredRuns.map((r) => r.ms)) / median(node.map((r) => r.ms)), unit: 'ratio', note: 'the same yardstick, the module as `kavach instrument` writes it, same fuel' },
      { name: "node:wasi with the CLI's V8 tiering budget / node:wasi as it comes", value: median(tunedRuns.map((r) => r.ms)) / median(node.map((r) => r.ms)), unit: 'ratio', note: `--wasm-tiering-budget=${WASM_TIERING_BUDGET}, which \`kavach run\` sets for its runs (src/cli/wasm-tiering.cjs)` },
      { name: 'peak memory, node:wasi', value: median(node.map((r) => r.mib)), unit: 'MiB' },
      { name: 'peak memory, kavach run', value: median(kavach.map((r) => r.mib)), unit: 'MiB' },
      { name: 'kavach / node:wasi, peak memory', value: memory, unit: 'ratio', target: '<= 2', ok: memory <= 2 },
      { name: `output identical to node:wasi's (a ${(outBytes / 1048576).toFixed(1)} MiB JSON netlist and a report)`, value: identical ? 1 : 0, unit: 'count', target: '1', ok: identical },
    ],
  }];
};
