/**
 * The long fuzzing runs, recorded in BENCHMARKS.md between two markers (`npm run fuzz --
 * --record`): one row per target, its last recorded run replacing the one before. `npm run bench`
 * keeps the block when it rewrites the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { FuzzReport } from '../src/testing/fuzz.ts';

export const FUZZ_BLOCK_START = '<!-- fuzz runs: written by `npm run fuzz -- --record` -->';
export const FUZZ_BLOCK_END = '<!-- end of fuzz runs -->';
const HEADER = '| target | date | seeds | cases | seconds | cases/s | findings |';

export function recordFuzzRun(report: FuzzReport): void {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = text.indexOf(FUZZ_BLOCK_START);
  const end = text.indexOf(FUZZ_BLOCK_END);
  const rows = new Map<string, string>();
  if (at >= 0 && end > at) {
    for (const line of text.slice(at, end).split('\n')) {
      const m = /^\| (\S+) \| \d{4}-/.exec(line);
      if (m !== null) rows.set(m[1], line);
    }
  }
  const last = (report.firstSeed + report.cases - 1) >>> 0;
  rows.set(report.target, `| ${report.target} | ${new Date().toISOString().slice(0, 10)} | ${report.firstSeed}..${last} | ${report.cases.toLocaleString('en-US')} | ${report.seconds.toFixed(0)} | ${(report.cases / report.seconds).toFixed(1)} | ${report.findings.length} |`);
  const block = [
    FUZZ_BLOCK_START,
    '## Fuzzing: long runs',
    '',
    `Each target run for as long as asked (\`npm run fuzz -- --seconds N --record TARGET\`) on ${cpus()[0]?.model ?? 'this machine'}, Node ${process.versions.node}; a seed range replays exactly (\`--seed\`).`,
    '',
    HEADER,
    '|---|---|---|---|---|---|---|',
    ...[...rows.keys()].sort().map((k) => rows.get(k) as string),
    FUZZ_BLOCK_END,
  ].join('\n');
  const next = at >= 0 && end > at ? text.slice(0, at) + block + text.slice(end + FUZZ_BLOCK_END.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
