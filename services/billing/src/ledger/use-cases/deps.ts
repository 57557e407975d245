import type { InvoicingDeps } from '../../use-cases/invoices';
import type { AggregateLocks, CustomersClient, Logger } from '@ledgerline/platform';
import type { PaymentsClient } from '../clients/payments';
import type { CartStore } from '../store/carts';
import type { LedgerEntryStore } from '../store/entries';
import type { ProjectionStore } from '../store/projections';
import type { CallerIdentity } from '@ledgerline/platform';

export interface LedgerDeps {
  entries: LedgerEntryStore;
  projections: ProjectionStore;
  carts: CartStore;
  locks: AggregateLocks;
  /** Checkout creates the platform's invoice to the buying tenant through the invoice use case. */
  invoicing: InvoicingDeps;
  payments: PaymentsClient;
  /** The customers service, asked for a profile billing's copy does not hold yet. */
  owner?: Pick<CustomersClient, 'customer'>;
  platformTenantId: string;
  logger: Logger;
}

export type LedgerCaller = CallerIdentity;
