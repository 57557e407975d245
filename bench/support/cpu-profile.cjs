'use strict';
/**
 * Preloaded with `node --require` (BENCH_CPU_PROF=1): profiles the whole life of a process and
 * writes a V8 .cpuprofile into $BENCH_CPU_PROF_DIR when it exits. Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS, hence this. Open the file in Chrome DevTools (Performance) or speedscope.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

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
