/**
 * Prints the suite's figures: checks passed under the engine, the CLI, node:wasi and the plain
 * shim, and every failing check with what was seen. A script that prints numbers, not a test.
 *
 *   node --import tsx conformance/report.ts [program ...]
 */
import { Engine } from '../src/core/runner/engine.ts';
import { spawnNodeWorker } from '../src/core/runner/node/spawn-node.ts';
import { runInCli, runInEngine, runInNodeWasi, runInShim } from './node-runners.ts';
import { CHECKS, PROGRAMS, parseChecks, tally, type ProgramOutcome } from './suite.ts';

const programs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : PROGRAMS;
const engine = new Engine(spawnNodeWorker);
const runtimes: [string, (p: string) => Promise<ProgramOutcome>][] = [
  ['engine', (p) => runInEngine(engine, p)],
  ['cli', runInCli],
  ['node:wasi', runInNodeWasi],
  ['shim', runInShim],
];
const totals = new Map<string, number>();
const total = programs.reduce((n, p) => n + (CHECKS[p]?.length ?? 0), 0);
for (const program of programs) {
  for (const [runtime, run] of runtimes) {
    const outcome = await run(program);
    const t = tally(program, outcome.stdout);
    totals.set(runtime, (totals.get(runtime) ?? 0) + t.passed.length);
    const lines = parseChecks(outcome.stdout);
    const problems = [
      ...t.failed.map((name) => {
        const line = lines.get(name);
        return line === undefined ? `  ${name}: (not printed)` : `  ${name}: ${line.observed} (expected ${line.expected})`;
      }),
      ...t.unknown.map((name) => `  ${name}: not in the manifest (rerun conformance/build.sh)`),
    ];
    const status = outcome.error !== null ? ` [${outcome.error}]` : outcome.exitCode !== 0 ? ` [exit ${outcome.exitCode}]` : '';
    console.log(`${program} / ${runtime}: ${t.passed.length}/${CHECKS[program].length}${status}`);
    if (problems.length > 0) console.log(problems.join('\n'));
  }
}
console.log(`\ntotal checks: ${total}`);
for (const [runtime] of runtimes) console.log(`${runtime}: ${totals.get(runtime)}/${total}`);
engine.dispose();
