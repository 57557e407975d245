import type { AggregateLocks } from '@ledgerline/platform';
import type { AuthClient } from '../clients/auth';
import type { PlanStore } from '../store/plans';
import type { TenantStore } from '../store/tenants';
import type { UsageStore } from '../store/usage';

export interface TenantsDeps {
  plans: PlanStore;
  tenants: TenantStore;
  usage: UsageStore;
  auth: AuthClient;
  locks: AggregateLocks;
  publishSoon: () => void;
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
