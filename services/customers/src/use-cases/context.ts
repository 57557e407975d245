import type { CustomerStore } from '../store/customers';
import type { EntitlementStore } from '../store/entitlements';
import type { InvoiceSnapshotStore } from '../store/invoice-snapshots';
import type { KamStore } from '../store/kams';
import type { PackageStore } from '../store/packages';
import type { UtilityStore } from '../store/utility';
import { todayUtc } from '../domain/pricing';
import type {
  AggregateWriter,
  CallerIdentity,
  Logger,
  PlanLimits,
  PublishSoon,
} from '@ledgerline/platform';
import type { TotalsMarks } from './totals-sweeper';

export type Caller = CallerIdentity;

export interface CustomersDeps {
  kams: KamStore;
  customers: CustomerStore;
  entitlements: EntitlementStore;
  packages: PackageStore;
  utility: UtilityStore;
  snapshots: InvoiceSnapshotStore;
  /**
   * Every change of an existing document goes through it (lock keys, versions, outbox). When two
   * locks are held they are taken KAM, customer, entitlement; package, pricing; master, detail.
   */
  aggregates: AggregateWriter;
  /** The tenant's plan limits (seed 003): a copy from TenantPlanChanged, tenants asked on a miss. */
  limits: Pick<PlanLimits, 'withinLimit'>;
  /** Currency of a customer (and package) created without one. */
  defaultCurrency: string;
  /** Wakes the outbox relay so events leave right after the write. */
  publishSoon: PublishSoon;
  logger?: Logger;
  /** Refreshes stale customer totals in the background; without it a mark refreshes at once. */
  totals?: TotalsMarks;
  /** The clock; tests may fix it. */
  now?: () => Date;
}

export function today(deps: Pick<CustomersDeps, 'now'>): string {
  return todayUtc(deps.now?.() ?? new Date());
}

/**
 * The fields a create or an update writes: every field sent, and for a create or a PUT (a full
 * replacement) the defaults of the fields not sent.
 */
export function fieldsOf<T extends object>(
  input: T,
  full: boolean,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) out[key] = value;
  if (full) {
    for (const [key, value] of Object.entries(defaults))
      if (out[key] === undefined) out[key] = value;
  }
  return out;
}
