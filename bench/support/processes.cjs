'use strict';
/** The platform's and the local infrastructure's processes, measured from /proc and /metrics. */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

/** The local infrastructure's processes (their pid files), so the table shows the whole cost. */
function infraPids() {
  const dir = path.join(process.env.LEDGERLINE_INFRA_DIR ?? path.join(ROOT, '.infra'), 'run');
  const pids = {};
  for (const [name, file] of [
    ['kafka', 'kafka.pid'],
    ['ferretdb', 'mongo.pid'],
    ['redis', 'redis.pid'],
  ]) {
    try {
      pids[name] = Number(fs.readFileSync(path.join(dir, file), 'utf8').trim());
    } catch {
      // not started by the project's scripts: left out
    }
  }
  return pids;
}

/** CPU milliseconds so far of every platform process and infrastructure server, by name. */
const cpuOf = (platform) => ({
  ...Object.fromEntries([...platform.children].map(([name, c]) => [name, cpuMs(c.child.pid)])),
  ...Object.fromEntries(Object.entries(infraPids()).map(([name, pid]) => [name, cpuMs(pid)])),
});

/** Each process's `store_commands_total` by "collection command" (STORE_COMMAND_METRICS=1). */
async function storeCommandsOf(platform) {
  const out = {};
  for (const name of platform.children.keys()) {
    const counts = {};
    try {
      const text = await (await fetch(platform.metricsUrl(name))).text();
      for (const m of text.matchAll(/^store_commands_total\{([^}]*)\} (\d+)/gm)) {
        const labels = Object.fromEntries(
          [...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
        );
        counts[`${labels.collection} ${labels.command}`] = Number(m[2]);
      }
    } catch {
      // a process without a metrics answer counts nothing
    }
    out[name] = counts;
  }
  return out;
}

/** Store commands per operation by process, and by process and command (the busiest first). */
function commandsPerOp(before, after, ops) {
  const perProcess = {};
  const detail = {};
  for (const [name, counts] of Object.entries(after)) {
    let total = 0;
    for (const [key, n] of Object.entries(counts)) {
      const delta = n - (before[name]?.[key] ?? 0);
      if (delta <= 0) continue;
      total += delta;
      detail[`${name}: ${key}`] = Number((delta / Math.max(1, ops)).toFixed(2));
    }
    perProcess[name] = Number((total / Math.max(1, ops)).toFixed(2));
  }
  const sorted = Object.fromEntries(Object.entries(detail).sort((a, b) => b[1] - a[1]));
  return { perProcess, detail: sorted };
}

/** CPU milliseconds per operation between two `cpuOf` readings, by process, and their sum. */
function cpuPerOp(before, after, ops) {
  const per = {};
  let total = 0;
  for (const [name, ms] of Object.entries(after)) {
    const d = ms - (before[name] ?? NaN);
    if (!Number.isFinite(d)) continue;
    per[name] = Number((d / Math.max(1, ops)).toFixed(3));
    total += d;
  }
  return { perProcess: per, total: Number((total / Math.max(1, ops)).toFixed(3)) };
}

module.exports = { cpuMs, infraPids, cpuOf, cpuPerOp, storeCommandsOf, commandsPerOp };
