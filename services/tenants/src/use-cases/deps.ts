import type { AggregateWriter, PublishSoon } from '@ledgerline/platform';
import type { AuthClient } from '../clients/auth';
import type { PlanStore } from '../store/plans';
import type { TenantStore } from '../store/tenants';
import type { UsageStore } from '../store/usage';

export interface TenantsDeps {
  plans: PlanStore;
  tenants: TenantStore;
  usage: UsageStore;
  auth: AuthClient;
  /** Every change of an existing tenant or plan goes through it (lock keys, versions, outbox). */
  aggregates: AggregateWriter;
  /** Wakes the outbox relay after an insert that carries events. */
  publishSoon: PublishSoon;
  baseDomain: string;
}

export interface Caller {
  userId: string;
  tenantId: string;
  platformAdmin: boolean;
  role: string;
  requestId: string;
  correlationId: string;
}
