import type {
  AggregateLocks,
  AggregateWriter,
  CustomersClient,
  Logger,
  PublishSoon,
} from '@ledgerline/platform';
import type { BillingClient } from '../clients/billing';
import type { CustomerNameStore } from '../store/customer-names';
import type { InvoicePaymentsStore } from '../store/invoice-payments';
import type { OverpaidInvoiceStore } from '../store/overpaid-invoices';
import type { PaymentMethodStore } from '../store/payment-methods';
import type { PaymentStore } from '../store/payments';

export interface PaymentsDeps {
  payments: PaymentStore;
  invoicePayments: InvoicePaymentsStore;
  methods: PaymentMethodStore;
  customerNames: CustomerNameStore;
  overpaid: OverpaidInvoiceStore;
  billing: BillingClient;
  customers: CustomersClient;
  locks: AggregateLocks;
  /** Changes payments and holds invoice balances (aggregate.ts): lock, load, versioned write. */
  aggregates: AggregateWriter;
  logger: Logger;
  publishSoon: PublishSoon;
}

export interface Caller {
  tenantId: string;
  userId: string | null;
  token: string;
  requestId: string;
  correlationId: string;
}
