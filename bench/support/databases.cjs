'use strict';
const { MongoClient } = require('mongodb');

/** Drops a bench run's own databases (one per service); topics are left, as the e2e tests leave theirs. */
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

/** Stops a bench's platform and drops its databases (a failed drop is only logged). */
async function stopAndDrop(platform, prefix, log) {
  await platform.stop();
  await dropDatabases(prefix).catch((err) => log(`could not drop ${prefix}_*: ${err.message}`));
}

module.exports = { dropDatabases, stopAndDrop };
