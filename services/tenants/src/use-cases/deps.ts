import type { AuthClient } from '../clients/auth';
import type { PlanStore } from '../store/plans';
import type { TenantStore } from '../store/tenants';
import type { UsageStore } from '../store/usage';
import type {
  AggregateWriter,
  CallerIdentity,
  PublishSoon,
  RequestCaller,
} from '@ledgerline/platform';

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

export type Caller = CallerIdentity & Pick<RequestCaller, 'platformAdmin' | 'role' | 'requestId'>;
