import { MongoClient } from 'mongodb';
import { consumerLag } from './chaos/lag';
import { MONGO_URL } from './infra';
import { platformWarnings } from './platform';

/**
 * What a test prints when it gives up waiting on an eventual effect, so that a CI log tells a
 * consumer that stalled (its group's lag) from an event never published (documents whose outbox
 * is still pending) and shows what the processes warned about meanwhile.
 */
export async function stallReport(platform: {
  logDir: string;
  dbPrefix: string;
  topicPrefix: string;
}): Promise<string> {
  const parts: string[] = [];
  try {
    const lags = await consumerLag(platform.topicPrefix);
    parts.push(`consumer lag: ${lags.map((g) => `${g.group}=${g.lag}`).join(', ')}`);
  } catch (err) {
    parts.push(`consumer lag unknown: ${(err as Error).message}`);
  }
  const client = new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.connect();
    const { databases } = await client.db().admin().listDatabases();
    for (const { name } of databases.filter((d) => d.name.startsWith(platform.dbPrefix))) {
      for (const { name: collection } of await client.db(name).listCollections().toArray()) {
        const pending = await client
          .db(name)
          .collection(collection)
          .countDocuments({ _outbox_pending: true });
        if (pending > 0) parts.push(`pending outboxes: ${name}.${collection}=${pending}`);
      }
    }
  } catch (err) {
    parts.push(`pending outboxes unknown: ${(err as Error).message}`);
  } finally {
    await client.close();
  }
  parts.push("the platform's warnings:", ...platformWarnings(platform.logDir));
  return parts.join('\n');
}
