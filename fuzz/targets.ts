/** Every fuzz target `npm run fuzz` knows; each also runs for a bounded number of cases in `npm test`. */
import type { FuzzTarget } from '../src/testing/fuzz.ts';
import { target as instrument } from '../src/core/instrument/instrument.fuzz.ts';

export const FUZZ_TARGETS: FuzzTarget[] = [instrument];
