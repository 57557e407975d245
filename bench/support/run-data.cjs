'use strict';
const {
  applyKafkajsIdleFix,
  deleteTopicsWhere,
  dropDatabasesWhere,
  kafkaAdmin,
} = require('../../scripts/run-data.cjs');

/** Drops a bench run's own databases (one per service). */
function dropDatabases(prefix) {
  return dropDatabasesWhere((name) => name.startsWith(`${prefix}_`));
}

/**
 * Deletes a bench run's own topics. Left behind, they add up run after run: a broker that held
 * 13,249 partitions had filled its 512 MiB heap and spent 112 s in full collections within four
 * minutes of its start (docs/benchmarks.md, "Kafka's heap and compiler").
 */
function deleteTopics(prefix) {
  return deleteTopicsWhere((topic) => topic.startsWith(prefix), 'bench-cleanup');
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
  dropRunData,
  stopAndDrop,
  warnIfBrokerCrowded,
};
