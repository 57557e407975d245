import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';
import {
  defineAggregate,
  insertWithOutbox,
  isDuplicateKeyError,
  modelOf,
  pruneInBatches,
  refusedAsDuplicates,
  storeSchema,
  tenantDocumentSchema,
  tenantKeyFields,
  WITHOUT_OUTBOX,
  type OutboxFields,
  type TenantDocument,
  type Unsaved,
} from '@ledgerline/platform';
import { markerId, type BatchEvent, type Totals } from '../domain/usage-batches';
import { unfoldedBatchStore } from './unfolded-batches';

/**
 * Metered usage of a provider's subscriptions (issue 18); `tenant_id` is the provider.
 * - `usage_batches`: one document per accepted request, its resolved events, born with its
 *   UsageBatchRecorded in its outbox (one insert per request is what the ingest rate rests on);
 * - `usage_events`: one marker per counted transaction id (`<tenant>:<transaction_id>`), written by
 *   the usage consumer: a transaction id is counted once per provider;
 * - `usage_totals`: one pre-aggregate per subscription, metric and period
 *   (`<subscription>:<metric>:<period start>`), read by id;
 * - `usage_allowances`: for subscriptions whose plan limits a metric, the quantities reserved by
 *   accepted requests per subscription and period (`<subscription>:<period start>`), decided at
 *   ingestion (domain/usage-limits.ts);
 * - `usage_unfolded`: the batches accepted and not folded yet (unfolded-batches.ts).
 */

export interface UsageBatch extends TenantDocument {
  received_at: Date;
  events: BatchEvent[];
}

/**
 * As stored: the events as one JSON text, grouped by subscription, metric and period (`s`, `m`,
 * `a` aggregation, `p` period start, `e` the events' `[transaction_id, timestamp, value]`).
 * FerretDB's SQLite backend handles a document per value (it keeps a type schema for every field
 * and array element), so 100 events as objects (700 values) cost 3.4 ms to insert, 6.4 ms to clear
 * the outbox of and 5.1 ms to read on this machine, as one string of 20 kB 1.1, 2.0 and 1.5 ms,
 * grouped (5.5 kB) 0.9, 1.2 and 1.1 ms. Nothing queries inside a batch: the markers are the
 * queryable form of its events.
 */
interface StoredUsageBatch extends Omit<UsageBatch, 'events'> {
  events_json: string;
}

interface StoredGroup {
  s: string;
  m: string;
  a: BatchEvent['aggregation'];
  p: string;
  e: [string, string, string | null][];
}

export function encodeEvents(events: readonly BatchEvent[]): string {
  const groups = new Map<string, StoredGroup>();
  for (const e of events) {
    const key = `${e.subscription_id}\n${e.metric}\n${e.aggregation}\n${e.period_start}`;
    let group = groups.get(key);
    if (!group) {
      group = { s: e.subscription_id, m: e.metric, a: e.aggregation, p: e.period_start, e: [] };
      groups.set(key, group);
    }
    group.e.push([e.transaction_id, e.timestamp, e.value]);
  }
  return JSON.stringify([...groups.values()]);
}

export function decodeEvents(json: string): BatchEvent[] {
  return (JSON.parse(json) as StoredGroup[]).flatMap((g) =>
    g.e.map(([transaction_id, timestamp, value]) => ({
      transaction_id,
      subscription_id: g.s,
      metric: g.m,
      aggregation: g.a,
      timestamp,
      value,
      period_start: g.p,
    })),
  );
}

export interface UsageMarker {
  _id: string;
  tenant_id: string;
  batch_id: string;
  subscription_id: string;
  metric: string;
  period_start: Date;
  timestamp: Date;
  value: string | null;
}

export interface UsageTotals extends Totals {
  _id: string;
  tenant_id: string;
  subscription_id: string;
  metric: string;
  period_start: Date;
  version?: number;
  created_at: Date;
  updated_at: Date;
}

export interface UsageAllowance {
  _id: string;
  tenant_id: string;
  subscription_id: string;
  period_start: Date;
  /**
   * Per limited count/sum metric (with a spend cap: per metric its usage charges name, max and
   * latest at the highest value seen): the quantity reserved so far, exact decimal text.
   */
  reserved: Record<string, string>;
  /** Holds every metric a spend cap prices (born so, or completed when a cap was set later). */
  spend_tracked?: boolean;
  version?: number;
  created_at: Date;
  updated_at: Date;
}

const batchSchema = tenantDocumentSchema<StoredUsageBatch & OutboxFields>(
  {
    received_at: { type: Date, required: true },
    events_json: { type: String, required: true },
  },
  { collection: 'usage_batches', outbox: true },
);

const markerSchema = new Schema<UsageMarker>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    batch_id: { type: String, required: true },
    subscription_id: { type: String, required: true },
    metric: { type: String, required: true },
    period_start: { type: Date, required: true },
    timestamp: { type: Date, required: true },
    value: { type: String, default: null },
  },
  { collection: 'usage_events', versionKey: false },
);
markerSchema.index({ tenant_id: 1 });

const totalsSchema = storeSchema<UsageTotals>(
  {
    ...tenantKeyFields,
    subscription_id: { type: String, required: true },
    metric: { type: String, required: true },
    period_start: { type: Date, required: true },
    aggregation: { type: String, required: true },
    state: { type: Schema.Types.Mixed, required: true },
    events: { type: Number, default: 0 },
    skipped_events: { type: Number, default: 0 },
    applied_batches: { type: [String], default: [] },
    version: { type: Number, default: 1 },
  },
  { collection: 'usage_totals', minimize: false },
);
totalsSchema.index({ tenant_id: 1 });

const allowanceSchema = storeSchema<UsageAllowance>(
  {
    ...tenantKeyFields,
    subscription_id: { type: String, required: true },
    period_start: { type: Date, required: true },
    reserved: { type: Schema.Types.Mixed, default: {} },
    spend_tracked: { type: Boolean, default: false },
    version: { type: Number, default: 1 },
  },
  { collection: 'usage_allowances', minimize: false },
);
allowanceSchema.index({ tenant_id: 1 });

const MARKER_CHUNK = 500;

export function meteredUsageStore(connection: Connection) {
  const batches = modelOf<StoredUsageBatch & OutboxFields>(connection, 'UsageBatch', batchSchema);
  const markers = modelOf<UsageMarker>(connection, 'UsageMarker', markerSchema);
  const totals = modelOf<UsageTotals>(connection, 'UsageTotals', totalsSchema);
  const allowances = modelOf<UsageAllowance>(connection, 'UsageAllowance', allowanceSchema);
  const unfolded = unfoldedBatchStore(connection);
  return {
    batchModel: batches,
    unfolded,
    /** Only for the outbox relay: a batch is never changed, its outbox only emptied. */
    batchAggregate: defineAggregate({
      name: 'usage-batch',
      label: 'Usage batch',
      model: batches,
      versionField: null,
    }),
    totalsAggregate: defineAggregate({
      name: 'usage-totals',
      label: 'Usage totals',
      model: totals,
      outbox: false,
    }),
    allowanceAggregate: defineAggregate({
      name: 'usage-allowance',
      label: 'Usage allowance',
      model: allowances,
      outbox: false,
    }),

    async insertBatch(doc: Unsaved<UsageBatch>, events: EventEnvelope[]): Promise<void> {
      const { events: list, ...rest } = doc;
      await insertWithOutbox<StoredUsageBatch>(
        batches,
        { ...rest, events_json: encodeEvents(list) },
        events,
      );
    },
    async findBatch(id: string): Promise<UsageBatch | null> {
      const found = await batches.findOne({ _id: id }, WITHOUT_OUTBOX).lean<StoredUsageBatch>();
      if (!found) return null;
      const { events_json: json, ...rest } = found;
      return { ...rest, events: decodeEvents(json) };
    },

    /** Which of these batches are stored, read by id without their events. */
    async batchesThere(ids: readonly string[]): Promise<Set<string>> {
      const found = await Promise.all(
        ids.map((id) => batches.findOne({ _id: id }, { _id: 1 }).lean<{ _id: string }>()),
      );
      return new Set(found.flatMap((b) => (b ? [b._id] : [])));
    },

    /**
     * Unordered inserts of MARKER_CHUNK markers each, all at once; answers the ids a taken key
     * refused (markers stored before). The ids must be distinct: chunks race each other. FerretDB
     * turns a chunk's documents into rows in the connection's own goroutine, so chunks in
     * parallel use both cores where one insert of thousands used one.
     */
    async insertMarkers(docs: UsageMarker[]): Promise<string[]> {
      const chunks: UsageMarker[][] = [];
      for (let i = 0; i < docs.length; i += MARKER_CHUNK)
        chunks.push(docs.slice(i, i + MARKER_CHUNK));
      const refused = await Promise.all(
        chunks.map(async (chunk) => {
          try {
            // through the driver: plain documents, nothing for mongoose to cast
            await markers.collection.insertMany(chunk as never[], { ordered: false });
            return [];
          } catch (err) {
            const positions = refusedAsDuplicates(err);
            if (!positions) throw err;
            return positions.map((i) => chunk[i]!._id);
          }
        }),
      );
      return refused.flat();
    },
    /** The batch each of these stored markers belongs to, read by id. */
    async batchesOfMarkers(ids: readonly string[]): Promise<Map<string, string>> {
      const found = await Promise.all(
        ids.map((id) => markers.findOne({ _id: id }, { batch_id: 1 }).lean<UsageMarker>()),
      );
      return new Map(found.flatMap((m) => (m ? [[m._id, m.batch_id] as const] : [])));
    },

    /** A pre-aggregate's first document; one inserted meanwhile by another writer is as good. */
    async insertTotals(doc: Omit<UsageTotals, 'created_at' | 'updated_at'>): Promise<void> {
      try {
        await totals.create(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
    /** An allowance's first document; one inserted meanwhile by another request is as good. */
    async insertAllowance(doc: Omit<UsageAllowance, 'created_at' | 'updated_at'>): Promise<void> {
      try {
        await allowances.create(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
    findAllowance(tenantId: string, id: string): Promise<UsageAllowance | null> {
      return allowances.findOne({ _id: id, tenant_id: tenantId }).lean<UsageAllowance>().exec();
    },
    /**
     * Of these transaction ids of the provider, the ones counted already (their marker exists),
     * read one by one by `_id` (FerretDB's index).
     */
    async countedTransactions(
      tenantId: string,
      transactionIds: readonly string[],
    ): Promise<Set<string>> {
      const found = await Promise.all(
        transactionIds.map((tx) =>
          markers.findOne({ _id: markerId(tenantId, tx) }, { _id: 1 }).lean<{ _id: string }>(),
        ),
      );
      return new Set(transactionIds.filter((_, i) => found[i] !== null));
    },
    async findTotals(ids: readonly string[]): Promise<(UsageTotals | null)[]> {
      return Promise.all(ids.map((id) => totals.findOne({ _id: id }).lean<UsageTotals>()));
    },

    /**
     * Batches received before `before` whose event has left: the usage consumer has long folded
     * them (their markers and totals stay). Without this the relay's periodic scan for pending
     * outboxes, which reads the whole collection on FerretDB, would grow with every request.
     *
     * A batch still unfolded (dead-lettered, waiting to be replayed) is kept however old: the
     * replay folds it from the stored batch, and without the batch its record would be dropped as
     * an orphan and the renewal would close the period without its usage.
     */
    async pruneBatches(before: Date): Promise<number> {
      const unfoldedIds = await unfolded.idsReceivedBefore(before);
      return pruneInBatches(batches, {
        received_at: { $lt: before },
        _outbox_pending: false,
        ...(unfoldedIds.length > 0 && { _id: { $nin: unfoldedIds } }),
      });
    },
    /** A provider's usage goes with its TenantDeleted. */
    async removeTenant(tenantId: string): Promise<void> {
      await Promise.all([
        batches.deleteMany({ tenant_id: tenantId }),
        markers.deleteMany({ tenant_id: tenantId }),
        totals.deleteMany({ tenant_id: tenantId }),
        allowances.deleteMany({ tenant_id: tenantId }),
        unfolded.removeTenant(tenantId),
      ]);
    },
  };
}
export type MeteredUsageStore = ReturnType<typeof meteredUsageStore>;
