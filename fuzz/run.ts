/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--record] [TARGET...]`: runs each fuzz target (all by default)
 * for N seconds (default 60) from seed S (default: from the clock, printed so a run can be
 * replayed). Prints cases, rate and findings; exits 1 when anything was found. With --record,
 * writes each run into BENCHMARKS.md (fuzz/record.ts).
 */
import { describeFinding, runFuzz } from '../src/testing/fuzz.ts';
import { FUZZ_TARGETS } from './targets.ts';
import { recordFuzzRun } from './record.ts';

let seconds = 60;
let record = false;
let seed = Date.now() >>> 0;
const names: string[] = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--seconds') seconds = Number(argv[++i]);
  else if (a === '--seed') seed = Number(argv[++i]) >>> 0;
  else if (a === '--record') record = true;
  else if (a === '-h' || a === '--help') {
    console.log(`usage: npm run fuzz -- [--seconds N] [--seed S] [--record] [${FUZZ_TARGETS.map((t) => t.name).join('|')} ...]`);
    process.exit(0);
  } else names.push(a);
}
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error('fuzz: --seconds expects a positive number');
  process.exit(2);
}
const unknown = names.filter((n) => !FUZZ_TARGETS.some((t) => t.name === n));
if (unknown.length > 0) {
  console.error(`fuzz: unknown target ${unknown.join(', ')} (targets: ${FUZZ_TARGETS.map((t) => t.name).join(', ')})`);
  process.exit(2);
}
const chosen = names.length === 0 ? FUZZ_TARGETS : FUZZ_TARGETS.filter((t) => names.includes(t.name));
let failed = false;
for (const target of chosen) {
  console.log(`\n== ${target.name}: ${target.promise}\n   seed ${seed}, ${seconds} s`);
  const report = await runFuzz(target, {
    seed,
    seconds,
    progress: (cases, found) => console.log(`   ... ${cases} cases, ${found} findings`),
  });
  console.log(`   ${report.cases} cases in ${report.seconds.toFixed(1)} s (${(report.cases / report.seconds).toFixed(1)}/s), seeds ${seed}..${(seed + report.cases - 1) >>> 0}, ${report.findings.length} findings`);
  for (const f of report.findings) console.log(`   FINDING ${describeFinding(target.name, f)}`);
  if (report.findings.length > 0) failed = true;
  if (record) recordFuzzRun(report);
}
process.exit(failed ? 1 : 0);
