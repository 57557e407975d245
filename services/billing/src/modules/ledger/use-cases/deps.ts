import type { AggregateLocks, CallerIdentity, CustomersClient, Logger } from '@ledgerline/platform';
import type { CartStore } from '../store/carts';
import type { LedgerEntryStore } from '../store/entries';
import type { ProjectionStore } from '../store/projections';

export interface LedgerDeps {
  entries: LedgerEntryStore;
  projections: ProjectionStore;
  carts: CartStore;
  locks: AggregateLocks;
  /** The currency a metrics table falls back to when the tenant has no entries yet. */
  defaultCurrency: string;
  /** The customers service, asked for a profile billing's copy does not hold yet. */
  owner?: Pick<CustomersClient, 'customer'>;
  platformTenantId: string;
  logger: Logger;
}

export type LedgerCaller = CallerIdentity;
