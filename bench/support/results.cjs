'use strict';
/**
 * Where every benchmark leaves its figures: a dated file to keep (`bench/results/<name>-<time>.json`)
 * and `bench/results/latest/<name>.json`, both holding the same record, whose flat `summary` is
 * what runs are compared by.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return null;
  }
}

/** The commit measured, whether code paths differ from it, and the machine. */
function provenance() {
  const dirty = git('status', '--porcelain', '--', 'services', 'libs', 'scripts');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommitted: dirty ? dirty.split('\n').map((l) => l.slice(3)) : [],
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model?.trim() ?? null,
      memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
    },
  };
}

/** Writes both files and returns the dated one's path. `summary` must be flat (no objects). */
function writeResults(name, summary, details = {}) {
  for (const [key, value] of Object.entries(summary))
    if (value !== null && typeof value === 'object')
      throw new Error(`summary.${key} of ${name} is not flat`);
  const at = new Date().toISOString();
  const record = { benchmark: name, at, ...provenance(), summary, ...details };
  const stamp = at.replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  fs.mkdirSync(path.join(RESULTS, 'latest'), { recursive: true });
  const dated = path.join(RESULTS, `${name}-${stamp}.json`);
  const text = `${JSON.stringify(record, null, 2)}\n`;
  fs.writeFileSync(dated, text);
  fs.writeFileSync(path.join(RESULTS, 'latest', `${name}.json`), text);
  return dated;
}

module.exports = { writeResults, provenance };
