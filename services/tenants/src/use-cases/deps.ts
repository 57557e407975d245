import type { AuthClient } from '../clients/auth';
import type { PlanStore } from '../store/plans';
import type { ProviderPlanStore } from '../store/provider-plans';
import type { SubscriptionStore } from '../store/subscriptions';
import type { TenantStore } from '../store/tenants';
import type { MeteredUsageStore } from '../store/metered-usage';
import type { UsageStore } from '../store/usage';
import type { RenewalRunStore } from '../store/renewal-runs';
import type {
  AggregateWriter,
  CallerIdentity,
  CustomersClient,
  PublishSoon,
  RequestCaller,
} from '@ledgerline/platform';

export interface TenantsDeps {
  plans: PlanStore;
  tenants: TenantStore;
  usage: UsageStore;
  /** Every other provider's billable metrics and plans, and their subscriptions (issue 18). */
  providerPlans: ProviderPlanStore;
  subscriptions: SubscriptionStore;
  /** Metered usage of the provider's subscriptions: batches, markers, pre-aggregates. */
  meteredUsage: MeteredUsageStore;
  /** Providers' renewal runs (issue 18): the documents the background worker pages through. */
  renewalRuns: RenewalRunStore;
  /**
   * How long after a period's end it is renewed (USAGE_LATENESS_SECONDS + USAGE_SETTLE_SECONDS):
   * the sweep's rule, and a renewal run's cutoff.
   */
  renewalGraceMs: number;
  /** Wakes the renewal-run worker of this process (a run was just queued). */
  renewalRunsWake: () => void;
  /** How late a usage event may be reported (USAGE_LATENESS_SECONDS). */
  usageLatenessSeconds: number;
  /** Asked whether a customer subscriber exists (customers owns them), behind a breaker. */
  customers: Pick<CustomersClient, 'customer'>;
  auth: AuthClient;
  /** Every change of an existing tenant or plan goes through it (lock keys, versions, outbox). */
  aggregates: AggregateWriter;
  /** Wakes the outbox relay after an insert that carries events. */
  publishSoon: PublishSoon;
  baseDomain: string;
}

export type Caller = CallerIdentity & Pick<RequestCaller, 'platformAdmin' | 'role' | 'requestId'>;
