/**
 * `npm run bench`: runs every suite in bench/suites (or those named on the command line), prints
 * the figures and writes them to BENCHMARKS.md with the machine named.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { FUZZ_BLOCK_END, FUZZ_BLOCK_START } from '../fuzz/record.ts';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Section, Suite } from './types.ts';

const SECTIONS_MARK = '@@kavach-bench-sections ';

const only = process.argv.slice(2);
const dir = new URL('./suites/', import.meta.url);
const names = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3))
  .filter((n) => only.length === 0 || only.includes(n)).sort();

/**
 * Each suite runs in a process of its own: suites share nothing, so one suite's heap and the JIT
 * state it leaves (the instrumenter optimised for other modules' shapes, say) cannot slow the
 * next. Measured: the instrumenter's throughput read 143 MB/s after the other suites in one
 * process, 206 MB/s alone.
 */
const CHILD = process.env.KAVACH_BENCH_SUITE;
if (CHILD !== undefined) {
  const { run } = (await import(new URL(`${CHILD}.ts`, dir).href)) as { run: Suite };
  const result = await run();
  // The sections go back to the parent on a line of their own, after whatever the suite printed.
  console.log(`${SECTIONS_MARK}${JSON.stringify(result)}`);
  process.exit(0);
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.versions.node}`;
console.log(`machine: ${machine}`);

function runSuite(name: string): Section[] {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, KAVACH_BENCH_SUITE: name }, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = r.stdout.split('\n');
  const marked = lines.find((l) => l.startsWith(SECTIONS_MARK));
  for (const l of lines) if (!l.startsWith(SECTIONS_MARK) && l !== '') console.log(l);
  if (r.status !== 0 || marked === undefined) throw new Error(`bench suite ${name} failed (exit ${r.status})`);
  return JSON.parse(marked.slice(SECTIONS_MARK.length)) as Section[];
}

const sections: Section[] = [];
for (const name of names) {
  console.log(`\n== ${name}`);
  for (const section of runSuite(name)) {
    sections.push(section);
    console.log(`-- ${section.title} (${section.runtime})`);
    for (const f of section.figures) {
      const verdict = f.ok === undefined ? '' : f.ok ? '  ok' : '  MISSED';
      console.log(`   ${f.name}: ${format(f.value)} ${f.unit}${f.target ? ` (target ${f.target})` : ''}${verdict}${f.note ? ` — ${f.note}` : ''}`);
    }
  }
}

function format(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

if (only.length === 0) {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${machine}.`,
    'Ratios compare against a baseline measured in the same run. Times are medians unless said otherwise.',
    '',
  ];
  for (const s of sections) {
    lines.push(`## ${s.title} — ${s.runtime}`, '', '| figure | value | target | met |', '|---|---|---|---|');
    for (const f of s.figures) {
      lines.push(`| ${f.name}${f.note ? ` (${f.note})` : ''} | ${format(f.value)} ${f.unit} | ${f.target ?? ''} | ${f.ok === undefined ? '' : f.ok ? 'yes' : '**no**'} |`);
    }
    lines.push('');
  }
  // The long fuzzing runs (`npm run fuzz -- --record`) keep their block across benchmark runs.
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = old.indexOf(FUZZ_BLOCK_START);
  const end = old.indexOf(FUZZ_BLOCK_END);
  if (at >= 0 && end > at) lines.push(old.slice(at, end + FUZZ_BLOCK_END.length), '');
  writeFileSync(file, lines.join('\n'));
  console.log('\nwrote BENCHMARKS.md');
}
process.exit(0);
