// The JavaScript a first visit loads before any page chunk: the entry chunk and, transitively,
// the chunks it imports statically (Vite's manifest, dist/.vite/manifest.json), gzipped as the
// wire would carry them. Shared by test/unit/dashboard-bundle.test.ts and bench/dashboard-load.cjs.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');

/** @param {string} distDir the dashboard's build output (apps/dashboard/dist) */
function initialJs(distDir) {
  const manifest = JSON.parse(readFileSync(path.join(distDir, '.vite', 'manifest.json'), 'utf8'));
  const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  entries.forEach(visit);
  const files = [...seen].map((key) => manifest[key].file);
  const gzipBytes = files
    .map((file) => gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length)
    .reduce((a, b) => a + b, 0);
  return { files, gzipBytes };
}

module.exports = { initialJs };
