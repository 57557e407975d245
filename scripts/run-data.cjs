'use strict';
/**
 * The data runs leave in the local servers: each test or benchmark run's databases and Kafka
 * topics, named by its own prefix. Removed by name here, for `npm test`'s sweep of earlier runs
 * (sweep-run-data.cjs) and for each benchmark at its end (bench/support/run-data.cjs).
 */
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');
const { MongoClient } = require('mongodb');

/**
 * The services' fix for kafkajs's idle timer (libs/platform/src/events/kafkajs-idle-fix.ts), for
 * a script's own Kafka clients: without it each connection wakes the process about 800 times a
 * second, and Node 24 warns of a negative timeout. Needs the build (`npx turbo run build`); the
 * fix applies itself once however often it is called.
 */
function applyKafkajsIdleFix() {
  const fix = path.join(
    __dirname,
    '..',
    'libs',
    'platform',
    'dist',
    'events',
    'kafkajs-idle-fix.js',
  );
  require(fix).applyKafkajsIdleFix();
}

/** An admin client of the local broker (KAFKA_BROKERS), with the idle-timer fix, not connected yet. */
function kafkaAdmin(clientId) {
  applyKafkajsIdleFix();
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING }).admin();
}

/** Drops the local server's (MONGO_URL) databases whose name passes `wanted`; answers how many. */
async function dropDatabasesWhere(wanted) {
  const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 5000 });
  try {
    const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
    const names = databases.map((d) => d.name).filter((name) => wanted(name));
    for (const name of names) await client.db(name).dropDatabase();
    return names.length;
  } finally {
    await client.close();
  }
}

/** Deletes the broker's topics whose name passes `wanted`; answers how many. */
async function deleteTopicsWhere(wanted, clientId) {
  const admin = kafkaAdmin(clientId);
  await admin.connect();
  try {
    const names = (await admin.listTopics()).filter((topic) => wanted(topic));
    // in requests of 200 topics, each with its own timeout, rather than one naming them all
    for (let i = 0; i < names.length; i += 200)
      await admin.deleteTopics({ topics: names.slice(i, i + 200), timeout: 60_000 });
    return names.length;
  } finally {
    await admin.disconnect();
  }
}

module.exports = { applyKafkajsIdleFix, deleteTopicsWhere, dropDatabasesWhere, kafkaAdmin };
