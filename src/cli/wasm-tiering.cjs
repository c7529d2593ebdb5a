'use strict';
// V8's threshold for moving a WebAssembly function from its baseline compiler (Liftoff) up to its
// optimising one (TurboFan) is a budget of code bytes run in Liftoff: 1.8 M by default, tuned for
// pages that keep running. A large program run once, as the CLI runs it, crosses that budget in
// thousands of functions it runs only for a moment, and optimising them all on background threads
// takes the cores the program itself needs. On the 2-core machine in BENCHMARKS.md a budget of
// 30 M makes Yosys (30 MB of WebAssembly) about 15 % faster and the compiler behind `kavach build`
// about 40 % faster, while the CPU programs in bench/programs, whose hot functions still move up
// (a few milliseconds later), take the same time. It changes how fast code runs, never what it
// does: fuel is counted by the module's own instrumented code.
//
// The flag is process-wide, and V8 also matches code caches (ours and Node's own) against its
// flags: set too early, it would make every cached script compile afresh. So it is set only once
// the code that uses those caches has loaded: in the run worker at its first message (sent after
// the commands' code has loaded), and before the compiler runs in `kavach build`. Plain
// JavaScript, copied into dist-cli/ as it is, like code-cache.cjs.
const { setFlagsFromString } = require('node:v8');

const WASM_TIERING_BUDGET = 30_000_000;

function raiseWasmTieringBudget() {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}

module.exports = { WASM_TIERING_BUDGET, raiseWasmTieringBudget };
