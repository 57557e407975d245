import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { MongoClient } from 'mongodb';
import { isUnavailableError } from './dependency-errors';

const MONGO_URL = new URL(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027');

jest.setTimeout(30_000);

/** A TCP proxy in front of the real FerretDB that can be cut, as when the server goes away. */
function cuttableProxy(): Promise<{ port: number; cut: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(MONGO_URL.port), MONGO_URL.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        cut: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
      }),
    ),
  );
}

describe('isUnavailableError with the real driver', () => {
  it('when the server goes away under an ordered insertMany, then the MongoBulkWriteError it throws is a dependency being down', async () => {
    const proxy = await cuttableProxy();
    const client = new MongoClient(`mongodb://127.0.0.1:${proxy.port}`, {
      serverSelectionTimeoutMS: 500,
    });
    const collection = client.db(`t_dep_errors_${randomUUID().slice(0, 8)}`).collection('rows');
    try {
      await collection.insertOne({ _id: 'first' } as never);
      proxy.cut();
      const errors: unknown[] = [];
      // the first attempt meets the closed connection, the next ones a refused server selection
      for (let i = 0; i < 2; i++) {
        await collection.insertMany([{ n: 1 }, { n: 2 }], { ordered: true }).catch((err) => {
          errors.push(err);
        });
      }
      expect(errors.map((e) => (e as Error).name)).toEqual([
        'MongoBulkWriteError',
        'MongoBulkWriteError',
      ]);
      expect(errors.map(isUnavailableError)).toEqual([true, true]);
    } finally {
      await client.close(true);
    }
  });

  it('when an ordered insertMany meets a duplicate key, then the error is not a dependency being down', async () => {
    const client = await MongoClient.connect(MONGO_URL.toString());
    const collection = client.db(`t_dep_errors_${randomUUID().slice(0, 8)}`).collection('rows');
    try {
      await collection.insertOne({ _id: 'taken' } as never);
      const err = await collection
        .insertMany([{ _id: 'taken' } as never], { ordered: true })
        .catch((e: unknown) => e);
      expect((err as Error).name).toBe('MongoBulkWriteError');
      expect((err as { code?: number }).code).toBe(11000);
      expect(isUnavailableError(err)).toBe(false);
      await collection.drop();
    } finally {
      await client.close();
    }
  });
});
