import mongoose, { type Connection, type Model } from 'mongoose';
import { Counter } from 'prom-client';
import { processRegistry } from './http/metrics';
import type { Logger } from './logger';
import { watchMonitors, type RestartableMonitor } from './mongo-watchdog';

// Fail fast instead of queueing commands while the database is away: callers get a 503 at once.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);
// mongoose otherwise captures a stack trace (`new Error().stack`) on every query it executes, only
// to name where a query object was executed twice: about 1 ms of CPU per payment in its profile
mongoose.set('skipOriginalStackTraces', true);

// A heartbeat (connect + hello) is bounded by the connect timeout; one running for much longer is
// the driver hang mongo-watchdog.ts works around.
const CONNECT_TIMEOUT_MS = 10_000;
const STUCK_HEARTBEAT_MS = 30_000;

interface DriverInternals {
  topology?: { s?: { servers?: Map<string, { monitor?: RestartableMonitor | null }> } };
}

let storeCommands: Counter<'collection' | 'command'> | undefined;

/** `store_commands_total` by collection and command, from the driver's command monitoring. */
function countCommands(client: ReturnType<Connection['getClient']>): void {
  storeCommands ??= new Counter({
    name: 'store_commands_total',
    help: 'Commands sent to the store, by collection and command (STORE_COMMAND_METRICS=1)',
    labelNames: ['collection', 'command'] as const,
    registers: [processRegistry],
  });
  const counter = storeCommands;
  client.on('commandStarted', (event) => {
    const target = event.command[event.commandName];
    const collection = typeof target === 'string' ? target : '';
    counter.inc({ collection, command: event.commandName });
  });
}

export async function connectMongo(
  url: string,
  dbName: string,
  logger?: Pick<Logger, 'warn'>,
  opts: { countCommands?: boolean } = {},
): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    socketTimeoutMS: 30_000,
    maxPoolSize: 20,
    autoIndex: false,
    monitorCommands: opts.countCommands === true,
  });
  await connection.asPromise();
  const client = connection.getClient();
  if (opts.countCommands) countCommands(client);
  const watchdog = watchMonitors(
    client,
    // not public API: the driver offers no other way to restart a monitor
    (address) =>
      (client as unknown as DriverInternals).topology?.s?.servers?.get(address)?.monitor ??
      undefined,
    {
      stuckMs: STUCK_HEARTBEAT_MS,
      intervalMs: 5000,
      onRestart: (address, stuckForMs) =>
        logger?.warn(
          { address, stuckForMs },
          'database monitor stuck in a heartbeat on a closed connection; restarted it',
        ),
    },
  );
  connection.once('close', () => watchdog.stop());
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

type WriteError = { index?: number; err?: { index?: number } };

/** A bulk write's errors (the driver gives one error alone, not in a list). */
function writeErrorsOf(err: unknown): WriteError[] {
  const raw = (err as { writeErrors?: unknown }).writeErrors;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []) as WriteError[];
}

/** Every write error of an (unordered) insert is a taken unique key. */
export function allDuplicates(err: unknown): boolean {
  const writeErrors = writeErrorsOf(err);
  if (writeErrors.length > 0) return writeErrors.every((e) => isDuplicateKeyError(e.err ?? e));
  return isDuplicateKeyError(err);
}

/**
 * The positions of an unordered insert's documents that a taken unique key refused; undefined
 * when the error is not only that, or does not tell the positions.
 */
export function refusedAsDuplicates(err: unknown): number[] | undefined {
  const list = writeErrorsOf(err);
  if (list.length === 0) return undefined;
  const positions: number[] = [];
  for (const e of list) {
    const index = e.index ?? e.err?.index;
    if (!isDuplicateKeyError(e.err ?? e) || typeof index !== 'number') return undefined;
    positions.push(index);
  }
  return positions;
}

/**
 * One unordered insert of many documents whose ids are their facts (a usage fact, a ledger
 * entry): those already stored are skipped, so a replay inserts nothing twice.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any collection's documents
export async function insertNew(model: Model<any>, docs: object[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await model.insertMany(docs, { ordered: false, lean: true });
  } catch (err) {
    if (!allDuplicates(err)) throw err;
  }
}
