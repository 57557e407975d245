import {
  AppError,
  buildEvent,
  PLATFORM_TENANT_ID,
  parseRate,
  toMinor,
  type EventEnvelope,
  type InvoiceLineInput,
  type ListQuery,
} from '@ledgerline/contracts';
import {
  newId,
  type AggregateLocks,
  type AggregateWriter,
  type PlanLimits,
  type PublishSoon,
} from '@ledgerline/platform';
import { invoiceTotals, lineAmounts } from '../domain/invoice-totals';
import type { Invoice, InvoiceLine, InvoiceStore } from '../store/invoices';
import type { EntitlementProjection } from '../store/entitlements';
import type { BillingRunStore } from '../store/billing-runs';
import type { CreditNoteStore } from '../store/credit-notes';
import type { DunningStore } from '../store/dunning';
import type { InvoiceReferences } from './invoice-references';
import type { CallerIdentity, CustomersClient } from '@ledgerline/platform';

/**
 * What every invoicing use case shares: its deps, an invoice line and the totals from the request,
 * the fields issuing sets, the events an invoice change carries, and the plain reads.
 * create-invoice.ts creates invoices; invoice-edits.ts and line-edits.ts change them.
 */
export type Caller = CallerIdentity;

/** The platform tenant acting as the seller of its own invoices (to tenants: plans, credits). */
export function platformCaller(correlationId: string, userId = 'system:billing'): Caller {
  return { tenantId: PLATFORM_TENANT_ID, userId, correlationId };
}

export interface InvoicingDeps {
  invoices: InvoiceStore;
  /** Every change of an existing invoice goes through it (lock key, version, outbox). */
  aggregates: AggregateWriter;
  /** The numbering lock of a tenant (numbering.ts). */
  locks: AggregateLocks;
  /** The tenant's plan limits (seed 003), kept by the credits group from TenantPlanChanged. */
  limits: Pick<PlanLimits, 'withinLimit'>;
  defaultCurrency: string;
  /** Wakes the outbox relay so events leave right after the write. */
  publishSoon: PublishSoon;
  /** Publishes at once, for writers that publish their own events (createInvoices' option). */
  publishNow?: (events: EventEnvelope[]) => Promise<void>;
  /** Entitlement details, pricings and VAT from the customers service (auto-generation). */
  projection?: EntitlementProjection;
  /** Billing runs (their chunk commands leave through the runs' outbox). */
  runs?: BillingRunStore;
  /** Credit notes against issued invoices (issue 17), their own numbering series. */
  creditNotes: CreditNoteStore;
  /** Dunning policies and the queue of issued invoices with due dates (issue 17). */
  dunning: DunningStore;
  /** Checks the customer/entitlement/utility/row ids a client names on an invoice. */
  references: InvoiceReferences;
  /**
   * The customers service, asked for what billing's copies may not hold yet: auto_generate bills
   * an entitlement as it is now; a customer's look-ups answer one created a moment ago.
   */
  owner?: CustomersClient;
}

/** Where an auto-generated invoice comes from: stored on it, searchable, shown in its view. */
export interface InvoiceSource {
  bill_number?: string | null;
  /** A provider's subscription the invoice bills (issue 18): dunning makes it past_due. */
  subscription_id?: string | null;
  period_start?: string | null;
  period_end?: string | null;
  billing_run_id?: string | null;
}

export function toLine(
  input: InvoiceLineInput,
  currency: string,
  index?: number,
  id: string = newId('ind'),
): InvoiceLine {
  const at = (field: string) => (index === undefined ? field : `details.${index}.${field}`);
  const vatRate = input.vat_rate === undefined ? 0 : parseRate(input.vat_rate, at('vat_rate'));
  const discountRate =
    input.sub_discount_rate === undefined
      ? 0
      : parseRate(input.sub_discount_rate, at('sub_discount_rate'));
  const amounts = lineAmounts({
    subTotalMinor: toMinor(input.sub_total, currency, at('sub_total')),
    vatRate,
    discountRate,
  });
  if (amounts.subTotalMinor < 0) {
    throw AppError.validation('Invalid invoice line', [
      { field: at('sub_total'), message: 'must not be negative' },
    ]);
  }
  return {
    id,
    entitlement_details_id: input.entitlement_details_id ?? null,
    sub_total_minor: amounts.subTotalMinor,
    vat_rate: vatRate,
    discount_rate: discountRate,
    vat_minor: amounts.vatMinor,
    discount_minor: amounts.discountMinor,
    line_total_minor: amounts.lineTotalMinor,
    remarks: input.remarks ?? null,
  };
}

export function totalsOf(details: InvoiceLine[], paidMinor: number) {
  const t = invoiceTotals(
    details.map((d) => ({
      subTotalMinor: d.sub_total_minor,
      vatMinor: d.vat_minor,
      discountMinor: d.discount_minor,
      lineTotalMinor: d.line_total_minor,
    })),
    paidMinor,
  );
  return {
    sub_total_minor: t.subTotalMinor,
    vat_minor: t.vatMinor,
    discount_minor: t.discountMinor,
    total_minor: t.totalMinor,
    paid_minor: t.paidMinor,
    balance_due_minor: t.balanceDueMinor,
  };
}

/** The invoice as every invoice event describes it. */
export function invoiceEventAmounts(inv: Invoice) {
  return {
    invoice_id: inv._id,
    invoice_number: inv.invoice_number,
    customer_id: inv.customer_id,
    currency: inv.currency,
    status: inv.status,
    total_minor: inv.total_minor,
    paid_minor: inv.paid_minor,
    balance_due_minor: inv.balance_due_minor,
    sub_total_minor: inv.sub_total_minor,
    vat_minor: inv.vat_minor,
    discount_minor: inv.discount_minor,
    issue_date: inv.issue_date,
    due_date: inv.due_date,
    subscription_id: inv.subscription_id ?? null,
    dunning_action:
      (inv.dunning ?? []).find((d) => d.step === 'final_action' && !d.skipped)?.action ?? null,
  };
}

export function createdEvent(inv: Invoice, caller: Caller): EventEnvelope<'InvoiceCreated'> {
  return buildEvent('InvoiceCreated', {
    tenant_id: inv.tenant_id,
    correlation_id: caller.correlationId,
    data: invoiceEventAmounts(inv),
  });
}

/** What issuing changes: the next number, the status, and the issue date (today unless given). */
export function issuedFields(invoice: Invoice, seq: number, number: string) {
  return {
    invoice_number: number,
    number_seq: seq,
    number_key: number,
    status: 'unpaid' as const,
    issue_date: invoice.issue_date ?? new Date().toISOString().slice(0, 10),
  };
}

export function statusChangedEvent(before: Invoice, after: Invoice, caller: Caller): EventEnvelope {
  return buildEvent('InvoiceStatusChanged', {
    tenant_id: after.tenant_id,
    correlation_id: caller.correlationId,
    data: {
      ...invoiceEventAmounts(after),
      previous_status: before.status,
      payment_id: null,
      applied_minor: 0,
      payment_change: null,
      refund_id: null,
    },
  });
}

export async function getInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<Invoice> {
  const invoice = await deps.invoices.findById(caller.tenantId, id);
  if (!invoice) throw AppError.notFound('Invoice');
  return invoice;
}

export async function listInvoices(deps: InvoicingDeps, caller: Caller, query: ListQuery) {
  return deps.invoices.list(caller.tenantId, query);
}

export function invoiceLockKey(invoiceId: string): string {
  return `invoice:${invoiceId}`;
}
