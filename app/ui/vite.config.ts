import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The renderer is a plain static bundle: served by the host on 127.0.0.1 and loaded by Electron or Chromium.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      // Rollup drops misplaced /*@__PURE__*/ comments inside dependencies (zod) and says so at
      // length on every install; that is the dependency's business, not the installer's.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        warn(warning);
      },
    },
  },
});
