#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the local Kafka, FerretDB and Redis (reusing any
# already running), builds, runs unit tests then integration and end-to-end tests against the
# real servers, and stops the servers it started, whatever the outcome.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# Node.js 24 LTS for everything below (installed from the npm registry when the machine has older)
source scripts/use-node.sh
mkdir -p .run
started=.run/infra-started-by-test.txt

cleanup() {
  bash scripts/infra/down.sh --from "$started" >&2 || true
}
trap cleanup EXIT

bash scripts/bootstrap.sh
eval "$(bash scripts/infra/up.sh "$started")"
export MONGO_URL KAFKA_BROKERS REDIS_URL KAFKAJS_NO_PARTITIONER_WARNING=1
# the databases and topics earlier test and benchmark runs left (each run's own, by prefix)
node scripts/sweep-run-data.cjs

echo "[test] static checks: types (tests and the dashboard's pages included) and lint" >&2
npx tsc -p tsconfig.test.json
# the pages against the API document's types (@ledgerline/api-client): a route the document lost
# breaks here
npx tsc -p apps/dashboard/tsconfig.json
npx eslint --max-warnings=0 .

status=0
rm -f .run/jest-*.json
npx jest --selectProjects unit --json --outputFile=.run/jest-unit.json "$@" || status=$?
# Integration and end-to-end: two files at a time (each starts its own platform on its own ports,
# with its own databases, topics and tenants), then, one at a time, those that must run alone
# (jest.config.js: the chaos suite stops the shared servers; the load-heavy and timing ones).
LEDGERLINE_TEST_SET=shared npx jest --selectProjects integration --maxWorkers=2 --passWithNoTests \
  --json --outputFile=.run/jest-integration.json "$@" || status=$?
LEDGERLINE_TEST_SET=solo npx jest --selectProjects integration --runInBand --passWithNoTests \
  --json --outputFile=.run/jest-solo.json "$@" || status=$?

# One plain closing line for CI: totals over the three runs.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of [".run/jest-unit.json", ".run/jest-integration.json", ".run/jest-solo.json"]) {
    if (!fs.existsSync(f)) { failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
'
exit $status
