import type {
  AggregateLocks,
  AggregateWriter,
  CallerIdentity,
  CustomersClient,
  Logger,
  PublishSoon,
  RequestCaller,
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

/** The request context, with the token and request id a call to billing forwards. */
export type Caller = CallerIdentity & Pick<RequestCaller, 'token' | 'requestId'>;
