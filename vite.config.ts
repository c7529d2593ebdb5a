import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The page must work without cross-origin isolation; set KAVACH_ISOLATED=1 to serve with
// COOP/COEP so that SharedArrayBuffer (live stdin, non-spinning sleeps) is available.
const isolated = process.env.KAVACH_ISOLATED === '1';
const headers: Record<string, string> = isolated
  ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
  : {};

export default defineConfig({
  plugins: [react()],
  // Relative URLs throughout, so one build works from any folder of any host ("copy dist/ anywhere").
  base: './',
  worker: { format: 'es' },
  optimizeDeps: { include: ['@bjorn3/browser_wasi_shim'] },
  server: { headers },
  preview: { headers },
  build: { target: 'es2022', sourcemap: true },
});
