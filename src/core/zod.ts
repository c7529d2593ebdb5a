/**
 * zod, configured once for the whole engine: jitless, so it never probes `new Function`. The
 * page's Content-Security-Policy forbids eval, and the probe would be reported as a violation on
 * every load. Every module of the engine imports zod from here, as a namespace
 * (`import * as z from '../zod.ts'`).
 *
 * Re-exported with `export *`, not as a `z` object: bundlers must keep an exported namespace object
 * whole, every locale included (575 KB of the CLI's bundle, against 121 KB this way).
 */
import { config } from 'zod';

config({ jitless: true });

export * from 'zod';
