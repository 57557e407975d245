'use strict';
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const { startPlatform } = require(path.join(ROOT, 'scripts', 'platform.cjs'));
const { warnIfBrokerCrowded } = require('./run-data.cjs');

/** A bench run's names: its id, databases' prefix, topics' prefix and log folder. */
function benchRun(tag) {
  const id = `${tag}${Date.now().toString(36)}`;
  return {
    id,
    dbPrefix: `bench_${id}`,
    topicPrefix: `${id}.`,
    logDir: path.join(ROOT, '.run', 'bench-logs', id),
  };
}

/**
 * The whole platform for a bench run, with what every load bench needs: quiet logs, store
 * command counters, a V8 CPU profile per process when `cpuProf`, and rate limits out of the way
 * (the load comes from one IP and one tenant). `env` adds to or overrides it.
 */
async function startBenchPlatform(run, { basePort, gatewayPort, cpuProf = false, env = {}, log }) {
  await warnIfBrokerCrowded(log);
  log(`starting the platform (gateway :${gatewayPort}, services :${basePort + 1}-${basePort + 5})`);
  return startPlatform({
    basePort,
    gatewayPort,
    dbPrefix: run.dbPrefix,
    topicPrefix: run.topicPrefix,
    logDir: run.logDir,
    env: {
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      STORE_COMMAND_METRICS: '1',
      ...(cpuProf && {
        NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile.cjs')}`,
        BENCH_CPU_PROF_DIR: run.logDir,
      }),
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
      RATE_LIMIT_CREDENTIAL_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: '1000000',
      ...env,
    },
  });
}

module.exports = { benchRun, startBenchPlatform };
