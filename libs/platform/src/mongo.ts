import mongoose, { type Connection } from 'mongoose';

// Fail fast instead of queueing commands while the database is away: callers get a 503 at once.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);

export async function connectMongo(url: string, dbName: string): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 30_000,
    maxPoolSize: 20,
    autoIndex: false,
  });
  await connection.asPromise();
  return connection;
}

/** Builds the indexes each model declares; done once at start, not on every model compile. */
export async function syncIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) {
    await model.createIndexes();
  }
}

export async function pingMongo(connection: Connection): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('not connected');
  await db.admin().ping();
}

export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}
