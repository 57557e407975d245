import type { AggregateLocks, CustomersClient, Logger, PublishSoon } from '@ledgerline/platform';
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

/** The lock of one payment document: its writers and its outbox relay share it. */
export const paymentLockKey = (id: string) => `payment:${id}`;
