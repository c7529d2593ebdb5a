/**
 * zod probes for eval (`new Function`) to speed up parsing; the page's CSP forbids eval, and the
 * probe would be reported as a violation. Parse without it. Imported before anything that parses.
 */
import { config } from 'zod';

config({ jitless: true });
