'use strict';
/**
 * Removes what earlier test and benchmark runs left in the local servers: their databases and
 * Kafka topics. Every run names its own with a prefix (`t_<id>_billing`, `<id>.ledgerline.billing`)
 * so that runs never share data. Tests keep theirs when they stop (a failed test's data is worth
 * reading); benchmarks keep their topics and some of their databases. Left alone, a working copy
 * collects them run after run: after a few `npm test`s this one held 1,077 databases and 4,216
 * partitions. An idle broker holding 1,000
 * such topics (4,000 partitions) used 28 ms of CPU per second with no client connected, 15 ms
 * once they were removed (docs/benchmarks.md, Issue 19, ninth pass); removing them took 0.4 s.
 *
 *   node scripts/sweep-run-data.cjs
 *
 * Kept: `npm start`'s own (`ledgerline_*` databases, unprefixed `ledgerline.*` topics), the
 * servers' internal ones. `npm test` runs it before its suites, when no other run may be using
 * the servers; do not run it while a test or benchmark run is going on.
 */
const { deleteTopicsWhere, dropDatabasesWhere } = require('./run-data.cjs');

const KEPT_DATABASES = /^(ledgerline_|admin$|config$|local$)/;
/** Internal topics (`__consumer_offsets`) and `npm start`'s, which carry no run prefix. */
const KEPT_TOPICS = /^(__|ledgerline\.)/;

const log = (msg) => process.stderr.write(`[sweep] ${msg}\n`);

async function main() {
  const started = Date.now();
  const databases = await dropDatabasesWhere((name) => !KEPT_DATABASES.test(name));
  const topics = await deleteTopicsWhere((topic) => !KEPT_TOPICS.test(topic), 'sweep');
  log(
    `removed ${databases} databases and ${topics} topics of earlier runs in ${Date.now() - started} ms`,
  );
}

main().catch((err) => {
  // a leftover costs speed, not correctness: the run goes on
  log(`could not remove earlier runs' data: ${err.message}`);
});
