import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Builds the in-browser benchmark page (bench/browser/index.html) on its own.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: fileURLToPath(new URL('../../public', import.meta.url)),
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        latency: fileURLToPath(new URL('./index.html', import.meta.url)),
        overhead: fileURLToPath(new URL('./overhead.html', import.meta.url)),
        audit: fileURLToPath(new URL('./audit.html', import.meta.url)),
      },
    },
  },
  logLevel: 'warn',
});
