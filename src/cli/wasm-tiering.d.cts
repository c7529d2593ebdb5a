/** See wasm-tiering.cjs. */
export declare const WASM_TIERING_BUDGET: number;
export declare function raiseWasmTieringBudget(): void;
