'use strict';
/**
 * Preloaded with `node --require` (BENCH_CPU_PROF=1): profiles the whole life of a process and
 * writes a V8 .cpuprofile into $BENCH_CPU_PROF_DIR when it exits. Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS, hence this. Open the file in Chrome DevTools (Performance) or speedscope.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

if (require.main !== module) startProfiling();

function startProfiling() {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');

  process.once('exit', () => {
    // An in-thread inspector session answers synchronously, so this completes before the exit.
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      const dir = process.env.BENCH_CPU_PROF_DIR ?? process.cwd();
      const file = path.join(
        dir,
        `${path.basename(process.argv[1], '.js')}-${process.pid}.cpuprofile`,
      );
      fs.writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}

/**
 * `node bench/support/cpu-profile.cjs <file.cpuprofile> [N]`: the top N (20) functions by self
 * time, and the share of the profile spent in (and below) the service's own code, its libraries
 * (node_modules) and node internals, as a Markdown table.
 */
function topN(file, n) {
  const { nodes, samples, timeDeltas } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const self = new Map();
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const rows = new Map();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url
      ? `${url.replace(/^.*?\/(node_modules|services|libs)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    rows.set(key, (rows.get(key) ?? 0) + us);
  }
  const groups = new Map();
  for (const [id, us] of self) {
    const { functionName, url } = byId.get(id).callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const own = /\/(services|libs)\/([^/]+)\//.exec(url);
    const group = pkg
      ? pkg
      : own
        ? `${own[1]}/${own[2]}`
        : url.startsWith('node:')
          ? 'node internals'
          : functionName.startsWith('(')
            ? functionName
            : 'native';
    groups.set(group, (groups.get(group) ?? 0) + us);
  }
  const ms = (us) => (us / 1000).toFixed(0);
  const pct = (us) => ((100 * us) / total).toFixed(1);
  console.log(`profile ${path.basename(file)}: ${ms(total)} ms sampled\n`);
  console.log('| self ms | self % | function |\n| ---: | ---: | --- |');
  for (const [key, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`| ${ms(us)} | ${pct(us)} | \`${key}\` |`);
  console.log('\n| self ms | self % | where |\n| ---: | ---: | --- |');
  for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`| ${ms(us)} | ${pct(us)} | ${group} |`);
}

if (require.main === module) topN(process.argv[2], Number(process.argv[3] ?? 20));
