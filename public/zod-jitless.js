// Runs before the app's modules. zod probes for eval (new Function) to speed up parsing; this
// page's CSP forbids eval, so the probe would be reported as a violation on every load. zod reads
// its global config from this object when it first loads, so it parses without the probe.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
