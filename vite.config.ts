import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The page must work without cross-origin isolation; set KAVACH_ISOLATED=1 to serve with
// COOP/COEP so that SharedArrayBuffer (live stdin, non-spinning sleeps) is available.
const isolated = process.env.KAVACH_ISOLATED === '1';
const headers: Record<string, string> = isolated
  ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
  : {};

/**
 * The compilers (@yowasp/clang: its script, four core modules and a 30 MB sysroot tar, which it
 * fetches with `new URL('./x', import.meta.url)`; and wabt) are bundled into the compile worker's
 * chunks, which Vite copies with relative URLs like any asset. They go to compiler/, so the
 * service worker can keep them cache-first (public/sw.js): their names carry a content hash.
 */
const COMPILER_PACKAGES = /[\\/]node_modules[\\/](@yowasp[\\/]clang|wabt)[\\/]/;
const COMPILER_ASSET = /^(llvm[.-]|llvm-resources)/;

/**
 * The engine's modules only define things (src/core/zod.ts alone does something as it loads: it
 * configures zod), so one the page does not use is left out even though src/core/index.ts
 * re-exports it: the import/export formats, share links and the like stay in the lazily loaded
 * chunks that use them instead of the page's first download.
 */
const ENGINE_MODULE = /[\\/]src[\\/]core[\\/](?!zod\.ts$)/;

/**
 * Monaco and its glue make one chunk named editor-[hash].js (with editor-[hash].css), fetched only
 * when an editor is opened or about to be (src/ui/prefetch.ts); the name lets the tests and the
 * size benchmark recognise it. Only these modules are captured, not what they import (React, the
 * engine), which stays in the chunks the page loads first.
 */
const EDITOR_MODULES = /[\\/]node_modules[\\/](monaco-editor|@monaco-editor)[\\/]|[\\/]src[\\/]ui[\\/]monaco-/;

export default defineConfig({
  plugins: [react()],
  // Relative URLs throughout, so one build works from any folder of any host ("copy dist/ anywhere").
  base: './',
  worker: {
    format: 'es',
    rolldownOptions: {
      output: {
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => COMPILER_PACKAGES.test(id)) ? 'compiler/[name]-[hash].js' : 'assets/[name]-[hash].js'),
        assetFileNames: (asset) => (asset.names.some((n) => COMPILER_ASSET.test(n)) ? 'compiler/[name]-[hash][extname]' : 'assets/[name]-[hash][extname]'),
      },
    },
  },
  // Pre-bundling would move @yowasp/clang away from the files it fetches beside itself.
  optimizeDeps: { include: ['@bjorn3/browser_wasi_shim'], exclude: ['@yowasp/clang'] },
  server: { headers },
  preview: { headers },
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      treeshake: { moduleSideEffects: (id) => (ENGINE_MODULE.test(id) ? false : undefined) },
      output: { codeSplitting: { groups: [{ name: 'editor', test: EDITOR_MODULES, includeDependenciesRecursively: false }] } },
    },
    // The compiler's smallest core module (787 bytes) would become a data: URL, which the page's
    // connect-src does not allow; every WebAssembly file stays a file.
    assetsInlineLimit: (file) => (/\.(wasm|tar)$/.test(file) ? false : undefined),
  },
});
