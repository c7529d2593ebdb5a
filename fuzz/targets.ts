/** Every fuzz target `npm run fuzz` knows; each also runs for a bounded number of cases in `npm test`. */
import type { FuzzTarget } from '../src/testing/fuzz.ts';
import { target as instrument } from '../src/core/instrument/instrument.fuzz.ts';
import { target as shareLink } from '../src/core/share/link.fuzz.ts';
import { target as wasi } from '../src/core/wasi/wasi.fuzz.ts';

export const FUZZ_TARGETS: FuzzTarget[] = [instrument, shareLink, wasi];
