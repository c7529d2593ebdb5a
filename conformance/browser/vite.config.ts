import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The WASI conformance harness page (conformance/browser/index.html), built and previewed on its
// own. Cross-origin isolated, as the playground is: SharedArrayBuffer lets a sleeping guest park
// its worker with Atomics.wait instead of spinning.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  server: { headers: isolation },
  preview: { headers: isolation },
  logLevel: 'warn',
});
