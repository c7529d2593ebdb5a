/**
 * zod, configured once for the whole engine: jitless, so it never probes `new Function`. The
 * page's Content-Security-Policy forbids eval, and the probe would be reported as a violation on
 * every load. Every module of the engine imports zod from here.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
