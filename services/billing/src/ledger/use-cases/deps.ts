import type { AggregateLocks, Logger } from '@ledgerline/platform';
import type { InvoicingDeps } from '../../use-cases/invoices';
import type { PaymentsClient } from '../clients/payments';
import type { CartStore } from '../store/carts';
import type { LedgerEntryStore } from '../store/entries';
import type { ProjectionStore } from '../store/projections';

export interface LedgerDeps {
  entries: LedgerEntryStore;
  projections: ProjectionStore;
  carts: CartStore;
  locks: AggregateLocks;
  /** Checkout creates the platform's invoice to the buying tenant through the invoice use case. */
  invoicing: InvoicingDeps;
  payments: PaymentsClient;
  platformTenantId: string;
  logger: Logger;
}

export interface LedgerCaller {
  tenantId: string;
  userId: string;
  correlationId: string;
}
