import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Served by the gateway under /app/ (services/gateway/src/static-app.ts). Hashed file names under
 * assets/ are cached for a year; index.html is not cached. Pages are split (React.lazy), and the
 * chart library is only imported by the pages that chart, so the first load stays small.
 */
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // the shell must run under `script-src 'self'`: no inline module-preload polyfill
    modulePreload: { polyfill: false },
    // .vite/manifest.json: what the entry chunk imports statically (test/unit/dashboard-bundle.test.ts)
    manifest: true,
  },
});
