import { Schema, type Connection } from 'mongoose';
import type { RenewalRunStatus } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  isDuplicateKeyError,
  modelOf,
  tenantDocumentSchema,
  type TenantDocument,
  type Unsaved,
} from '@ledgerline/platform';
import { EMPTY_COUNTERS, UNFINISHED_STATUSES, type RunCounters } from '../domain/renewal-runs';

/**
 * A provider's renewal runs (issue 18); `tenant_id` is the provider. The document is the run's only
 * state: its counters and the cursor (the last subscription id done) are saved after each page, so
 * a run left by a crash continues where its last page ended.
 */
export interface RenewalRun extends TenantDocument, RunCounters {
  status: RenewalRunStatus;
  /** Periods that ended at or before it are renewed (fixed at the start: a resume renews no more). */
  cutoff: Date;
  /** The last subscription id (in `_id` order) the run is done with; null before the first page. */
  cursor: string | null;
  /**
   * `live` while queued or running, `done:<id>` after: its unique index lets a provider have one
   * unfinished run, decided by the insert itself (two starts at once make one run).
   */
  live_key: string;
  /** The process working on it, until when: another takes it over only once that has passed. */
  lease: { owner: string; until: Date } | null;
  started_at: Date | null;
  completed_at: Date | null;
  revision?: number;
}

export const LIVE_RUN_KEY = 'live';

/** A run as it is queued: nothing done, no lease, one of the provider's unfinished ones. */
export function queuedRun(
  id: string,
  tenantId: string,
  cutoff: Date,
  by: string | null,
): Unsaved<RenewalRun> {
  return {
    _id: id,
    tenant_id: tenantId,
    status: 'queued',
    cutoff,
    ...EMPTY_COUNTERS,
    cursor: null,
    live_key: LIVE_RUN_KEY,
    lease: null,
    started_at: null,
    completed_at: null,
    created_by: by,
    updated_by: by,
  };
}

const schema = tenantDocumentSchema<RenewalRun>(
  {
    status: { type: String, required: true },
    cutoff: { type: Date, required: true },
    subscriptions_done: { type: Number, default: 0 },
    due: { type: Number, default: 0 },
    renewed: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    failures: { type: Schema.Types.Mixed, default: [] },
    cursor: { type: String, default: null },
    live_key: { type: String, required: true },
    lease: { type: Schema.Types.Mixed, default: null },
    started_at: { type: Date, default: null },
    completed_at: { type: Date, default: null },
    revision: { type: Number, default: 1 },
  },
  { collection: 'renewal_runs' },
);
schema.index({ tenant_id: 1, live_key: 1 }, { unique: true });
schema.index({ tenant_id: 1, created_at: -1 });
schema.index({ status: 1 });

export function renewalRunStore(connection: Connection) {
  const model = modelOf<RenewalRun>(connection, 'RenewalRun', schema);
  return {
    aggregate: defineAggregate({
      name: 'renewal-run',
      label: 'Renewal run',
      model,
      versionField: 'revision',
      outbox: false,
    }),
    /** Inserts the run; null when the provider has an unfinished one already. */
    async insert(run: Unsaved<RenewalRun>): Promise<RenewalRun | null> {
      try {
        return (await model.create(run)).toObject() as RenewalRun;
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    },
    async findLive(tenantId: string): Promise<RenewalRun | null> {
      return model.findOne({ tenant_id: tenantId, live_key: LIVE_RUN_KEY }).lean<RenewalRun>();
    },
    async findById(tenantId: string, id: string): Promise<RenewalRun | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }).lean<RenewalRun>();
    },
    /** The provider's runs, newest first. */
    async list(tenantId: string, page: number, perPage: number) {
      return findPage<RenewalRun>(
        model,
        { tenant_id: tenantId },
        { created_at: -1, _id: -1 },
        { page, perPage },
      );
    },
    /** Every provider's queued or running runs, oldest first: what a process picks up. */
    async unfinished(limit: number): Promise<RenewalRun[]> {
      return model
        .find({ status: { $in: UNFINISHED_STATUSES } })
        .sort({ created_at: 1 })
        .limit(limit)
        .lean<RenewalRun[]>();
    },
    async removeTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type RenewalRunStore = ReturnType<typeof renewalRunStore>;
