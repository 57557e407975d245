'use strict';
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { MongoClient } = require('mongodb');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The services' fix for kafkajs's idle timer (libs/platform/src/events/kafkajs-idle-fix.ts), for
 * a bench's own Kafka clients: without it each connection wakes the bench process about 800 times
 * a second, CPU taken from the platform it measures. Needs the build (`npx turbo run build`); the
 * fix applies itself once however often it is called.
 */
function applyKafkajsIdleFix() {
  const fix = path.join(ROOT, 'libs', 'platform', 'dist', 'events', 'kafkajs-idle-fix.js');
  require(fix).applyKafkajsIdleFix();
}

/** Drops a bench run's own databases (one per service). */
async function dropDatabases(prefix) {
  const client = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027');
  try {
    const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
    for (const { name } of databases)
      if (name.startsWith(`${prefix}_`)) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

/** An admin client of the local broker (KAFKA_BROKERS), with the idle-timer fix, not connected yet. */
function kafkaAdmin(clientId) {
  applyKafkajsIdleFix();
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING }).admin();
}

/**
 * Deletes a bench run's own topics. Left behind, they add up run after run: a broker that held
 * 13,249 partitions had filled its 512 MiB heap and spent 112 s in full collections within four
 * minutes of its start (docs/benchmarks.md, "Kafka's heap and compiler").
 */
async function deleteTopics(prefix) {
  const admin = kafkaAdmin('bench-cleanup');
  await admin.connect();
  try {
    const own = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (own.length > 0) await admin.deleteTopics({ topics: own, timeout: 60_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Above this many topics a benchmark warns: about 4,000 partitions, three times a full `npm test`'s. */
const CROWDED_TOPICS = 1000;

/**
 * Warns when the broker holds many topics before a run: left by earlier runs (tests run without
 * `npm test`'s sweep, or older benchmarks), they fill Kafka's heap and its collector's CPU is
 * measured with the platform's. Answers the count (undefined when it could not be read).
 */
async function warnIfBrokerCrowded(log) {
  const admin = kafkaAdmin('bench-check');
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).length;
    if (topics > CROWDED_TOPICS)
      log(
        `warning: the broker holds ${topics} topics; earlier runs' topics fill Kafka's heap and ` +
          'skew every figure: `node scripts/sweep-run-data.cjs` removes them (not while another run is going on)',
      );
    return topics;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Removes a run's databases and topics; a failure is only logged (it costs speed, not results). */
async function dropRunData({ dbPrefix, topicPrefix }, log) {
  await dropDatabases(dbPrefix).catch((err) => log(`could not drop ${dbPrefix}_*: ${err.message}`));
  await deleteTopics(topicPrefix).catch((err) =>
    log(`could not delete topics ${topicPrefix}*: ${err.message}`),
  );
}

/** Stops a bench's platform and removes its databases and topics. */
async function stopAndDrop(platform, run, log) {
  await platform.stop();
  await dropRunData(run, log);
}

module.exports = {
  applyKafkajsIdleFix,
  dropDatabases,
  deleteTopics,
  dropRunData,
  stopAndDrop,
  warnIfBrokerCrowded,
};
