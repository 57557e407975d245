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

/**
 * A unique index refused the write. MongoDB says so with code 11000; FerretDB does on inserts,
 * but answers a violating *update* with code 1 and SQLite's message.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  if ((err as { code?: number }).code === 11000) return true;
  return /UNIQUE constraint failed|E11000 duplicate key/.test(
    (err as { message?: string }).message ?? '',
  );
}
