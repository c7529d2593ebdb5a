#!/usr/bin/env node
// Builds the CLI into plain JavaScript: dist-cli/cli.cjs (the commands) and dist-cli/worker.cjs
// (the run worker it starts), each with V8's code cache made here after running the code a run
// needs (src/cli/code-cache.cjs loads them with it). `npm install` runs this (the package's
// `prepare` step), so the CLI starts without a TypeScript loader or a bundler, on compiled code,
// and runs no code from a temporary directory.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist-cli`;
// Files from an earlier build would otherwise stay beside the new ones.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  // CommonJS: one script V8 can cache whole (Node 20 keeps no code cache for ES modules), which
  // also spares the module loader's resolving and linking of many files.
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  // Less to parse at every start; names kept, so an error still says where it came from.
  minifyWhitespace: true,
  minifySyntax: true,
  // The sources' import.meta.url (they are ES modules) is this file's URL.
  banner: { js: 'const __kavachMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__kavachMetaUrl' },
};
/**
 * The commands reach the engine through its doors (src/core/index.ts and node.ts), but in a bundle
 * a door is one module that loads everything it names when it loads: `kavach run` would evaluate
 * the import/export formats, share links and the score too. Here each name a command imports from
 * a door is imported from the module the door takes it from, so a command loads only what it uses.
 */
const DOORS = [`${root}src/core/index.ts`, `${root}src/core/node.ts`];
const DOOR_IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']*\/core\/(?:index|node)\.ts)';/g;

/** What a door exports, name by name: the file each comes from (`export *` of another door included). */
function doorExports(door) {
  const names = new Map();
  const text = readFileSync(door, 'utf8');
  for (const [, from] of text.matchAll(/export \* from '([^']+)';/g)) for (const entry of doorExports(resolvePath(dirname(door), from))) names.set(...entry);
  for (const [, list, from] of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';/g)) {
    for (const name of list.split(',').map((n) => n.trim().replace(/^type\s+/, '')).filter(Boolean)) names.set(name, resolvePath(dirname(door), from));
  }
  return names;
}

const throughDoorsToModules = {
  name: 'through-doors-to-modules',
  setup(pluginBuild) {
    const exported = new Map(DOORS.map((door) => [door, doorExports(door)]));
    pluginBuild.onLoad({ filter: /[\\/]src[\\/]cli[\\/].*\.ts$/ }, ({ path }) => {
      const contents = readFileSync(path, 'utf8').replace(DOOR_IMPORT, (_, typeOnly, list, door) => {
        const names = exported.get(resolvePath(dirname(path), door));
        const byModule = new Map();
        for (const name of list.split(',').map((n) => n.trim()).filter(Boolean)) {
          const module = names.get(name.replace(/^type\s+/, '').split(/\s+as\s+/)[0]);
          if (module === undefined) throw new Error(`build-cli: ${door} exports no ${name} (imported by ${path})`);
          byModule.set(module, [...(byModule.get(module) ?? []), name]);
        }
        return [...byModule].map(([module, imported]) => `import ${typeOnly ?? ''}{ ${imported.join(', ')} } from ${JSON.stringify(module)};`).join(' ');
      });
      return { contents, loader: 'ts' };
    });
  },
};
await Promise.all([
  build({
    ...common,
    entryPoints: [`${root}src/cli/main.ts`],
    plugins: [throughDoorsToModules],
    outfile: `${out}/cli.cjs`,
    // The engine starts the worker beside the bundle instead of bundling one at run time.
    define: { ...common.define, KAVACH_BUILT_WORKER: '"./worker-loader.cjs"' },
    // The compilers stay packages of their own, imported (import(), kept as it is) only by
    // `kavach build` and `kavach run prog.c`: a .wasm run starts without them, and @yowasp/clang
    // finds its 105 MB of WebAssembly and sysroot beside its own script.
    external: ['esbuild', '@yowasp/clang', 'wabt'],
  }),
  build({ ...common, entryPoints: [`${root}src/core/runner/node/worker.node.ts`], outfile: `${out}/worker.cjs` }),
]);
routeImports(`${out}/cli.cjs`, ['@yowasp/clang', 'wabt']);
for (const file of ['code-cache.cjs', 'worker-loader.cjs', 'wasm-tiering.cjs']) copyFileSync(`${root}src/cli/${file}`, `${out}/${file}`);
await makeCodeCaches();
writeFileSync(`${out}/README.md`, 'Built by `npm install` (scripts/build-cli.mjs) from src/; not edited by hand, not committed.\n');

/**
 * dist-cli/cli.cache and dist-cli/worker.cache: V8's code for each file after running what a run
 * needs, made here by this Node, so they fit the Node that runs the CLI. The commands' cache
 * follows `kavach run --help` (which loads the run command and the policy schema); the worker's,
 * a warm-up run (src/core/runner/warm.ts) under a default policy's plan, made by the engine's own
 * code. Without a cache the CLI works the same, only slower to start: a failure is reported and
 * the build goes on.
 */
async function makeCodeCaches() {
  try {
    const { loadCached } = createRequire(import.meta.url)(`${out}/code-cache.cjs`);
    const cli = loadCached(`${out}/cli.cjs`);
    const silent = { stdout: () => {}, stderr: () => {}, readStdin: async () => new Uint8Array(0), cwd: root, env: {} };
    await cli.exports.main(['run', '--help'], silent);
    cli.saveCache();

    const planner = await build({
      stdin: {
        contents: "import { planRun } from './src/core/runner/plan.ts'; import { parseDocument } from './src/core/policy/load.ts';"
          + " export const plan = planRun(parseDocument({}), { moduleName: 'warm.wasm' });",
        resolveDir: root, loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning',
    });
    const { plan } = await import(`data:text/javascript;base64,${Buffer.from(planner.outputFiles[0].contents).toString('base64')}`);
    const worker = new Worker(`${out}/worker-loader.cjs`, { workerData: { kavachMakeCodeCache: true } });
    const ended = new Promise((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    worker.postMessage({ type: 'warm', plan });
    await ended;
    if (!existsSync(`${out}/worker.cache`)) throw new Error('the warm-up ended without writing it');
  } catch (e) {
    console.warn(`build-cli: no code cache (${e.message}); the CLI starts a little slower`);
  }
}

/**
 * The bundle's import() of each package left outside it becomes a call of the importer
 * src/cli/code-cache.cjs provides: Node 20 runs no import() inside a vm.Script (how the bundle is
 * run) without an experimental flag. Each must be found, so a change in how esbuild writes them
 * fails the build instead of the first `kavach build`.
 */
function routeImports(file, packages) {
  let text = readFileSync(file, 'utf8');
  for (const name of packages) {
    const call = `import(${JSON.stringify(name)})`;
    if (!text.includes(call)) throw new Error(`build-cli: ${call} not found in ${file}`);
    text = text.replaceAll(call, `globalThis[Symbol.for("kavach.import")](${JSON.stringify(name)})`);
  }
  writeFileSync(file, text);
}
