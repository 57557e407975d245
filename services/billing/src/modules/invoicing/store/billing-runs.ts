import { Schema, type Connection } from 'mongoose';
import type { BillingRunStatus, ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  modelOf,
  outboxInsert,
  searchClause,
  tenantDocumentSchema,
  WITHOUT_OUTBOX,
  type OutboxFields,
  type TenantDocument,
} from '@ledgerline/platform';

export interface RunError {
  entitlement_id: string;
  message: string;
}

/**
 * One billing run: its chunk commands leave through this document's outbox (written with it), and
 * each chunk a worker finishes is recorded here once (`done_chunks`), with its counts.
 */
export interface BillingRun extends TenantDocument {
  status: BillingRunStatus;
  period_start: string;
  period_end: string;
  issue: boolean;
  total: number;
  chunks_total: number;
  done_chunks: string[];
  generated: number;
  skipped: number;
  failed: number;
  /** Entitlements that could not be invoiced, with why (`errors` is reserved by mongoose). */
  failures: RunError[];
  version: number;
  completed_at: Date | null;
}

type RunDoc = BillingRun & OutboxFields;

const runSchema = tenantDocumentSchema<RunDoc>(
  {
    status: { type: String, required: true },
    period_start: { type: String, required: true },
    period_end: { type: String, required: true },
    issue: { type: Boolean, required: true },
    total: { type: Number, required: true },
    chunks_total: { type: Number, required: true },
    done_chunks: { type: [String], default: [] },
    generated: { type: Number, required: true },
    skipped: { type: Number, required: true },
    failed: { type: Number, required: true },
    failures: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
    completed_at: { type: Date, default: null },
  },
  { collection: 'billing_runs', outbox: true },
);
runSchema.index({ tenant_id: 1, created_at: -1 });

/** What a run search reads (q_f name -> stored field): its id, status and period. */
export const RUN_SEARCH = {
  id: '_id',
  status: 'status',
  period_start: 'period_start',
  period_end: 'period_end',
} as const;

export function billingRunStore(connection: Connection) {
  const model = modelOf<RunDoc>(connection, 'BillingRun', runSchema);
  return {
    model,
    /** Its chunk commands are born in its outbox; each chunk's result changes it. */
    aggregate: defineAggregate({ name: 'billing-run', label: 'Billing run', model }),

    insert: outboxInsert<BillingRun>(model),

    async findById(tenantId: string, id: string): Promise<BillingRun | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }, WITHOUT_OUTBOX).lean<BillingRun>();
    },

    async list(tenantId: string, query: ListQuery) {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      if (query.filters.status) filter.status = query.filters.status;
      Object.assign(filter, searchClause(query, RUN_SEARCH));
      return findPage<BillingRun>(model, filter, { created_at: -1, _id: -1 }, query);
    },
  };
}

export type BillingRunStore = ReturnType<typeof billingRunStore>;
