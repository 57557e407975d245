import { deterministicId } from '@ledgerline/platform';
import {
  AppError,
  formatMinor,
  formatRate,
  type AutoGenerateRequest,
  type CreateInvoiceRequest,
} from '@ledgerline/contracts';
import {
  buildAutoLines,
  type BillableDetail,
  type Period,
  type PricingFact,
} from '../domain/invoice-lines';
import { calendarMonth } from '../domain/proration';
import type { Invoice } from '../store/invoices';
import type { DetailFact, EntitlementProjection, PricingProjection } from '../store/entitlements';
import { createInvoice } from './create-invoice';
import type { Caller, InvoiceSource, InvoicingDeps } from './invoices';

/**
 * The one invoice of an entitlement for a period has an id derived from tenant, entitlement and
 * period, so generating it again (auto_generate twice, a redelivered billing-run chunk) finds the
 * invoice made the first time instead of making a second one.
 */
export function autoInvoiceId(tenantId: string, entitlementId: string, period: Period): string {
  return deterministicId('inv_auto', [tenantId, entitlementId, period.start, period.end]);
}

export function projectionOf(deps: InvoicingDeps): EntitlementProjection {
  if (!deps.projection) throw new Error('auto-generation needs the entitlement projection');
  return deps.projection;
}

/** The billing period asked for: both ends, or none (the current calendar month, UTC). */
export function periodOf(
  req: { period_start?: string; period_end?: string },
  fallbackDay?: string | null,
): Period {
  if (req.period_start && req.period_end) {
    if (req.period_end < req.period_start) {
      throw AppError.validation('Invalid billing period', [
        { field: 'period_end', message: 'must be on or after period_start' },
      ]);
    }
    return { start: req.period_start, end: req.period_end };
  }
  if (req.period_start || req.period_end) {
    throw AppError.validation('Invalid billing period', [
      { field: req.period_start ? 'period_end' : 'period_start', message: 'send both ends' },
    ]);
  }
  return calendarMonth(fallbackDay ? new Date(`${fallbackDay}T00:00:00Z`) : new Date());
}

export function packagesOf(details: readonly { package_master_id: string | null }[]): string[] {
  return [...new Set(details.map((d) => d.package_master_id).filter((p): p is string => !!p))];
}

/** What invoicing an entitlement reads: who and what it bills, the rows, their prices, the VAT. */
export interface EntitlementFacts {
  customerId: string;
  billNumber: string | null;
  currency: string;
  details: BillableDetail[];
  pricings: PricingFact[];
  vatRate: number;
}

/**
 * The entitlement as billing's copy holds it (billing runs: many entitlements at once, data
 * settled long before the run). A copy without any row of it cannot tell who it bills: 404.
 */
export function projectedFacts(
  entitlementId: string,
  details: DetailFact[],
  pricings: PricingProjection[],
  vatRate: number,
): EntitlementFacts {
  const first = details[0];
  if (!first) throw AppError.notFound('Entitlement (or it has no details yet)');
  return {
    customerId: first.customer_id,
    billNumber: first.bill_number,
    currency: first.currency,
    details,
    pricings,
    vatRate,
  };
}

/**
 * The entitlement as the customers service holds it now: a client's auto_generate may follow the
 * write of its rows by milliseconds, and an invoice made from a copy that lags would be kept
 * (idempotent per period) with rows missing. Without the service wired (unit tests), the copy.
 */
export async function currentFacts(
  deps: InvoicingDeps,
  caller: Caller,
  entitlementId: string,
  infoId?: string | null,
): Promise<EntitlementFacts> {
  if (!deps.owner) {
    const projection = projectionOf(deps);
    const details = await projection.detailsOfEntitlement(caller.tenantId, entitlementId);
    const [pricings, vatRate] = await Promise.all([
      projection.pricingsOfPackages(caller.tenantId, packagesOf(details)),
      projection.vatRate(caller.tenantId, infoId),
    ]);
    return projectedFacts(entitlementId, details, pricings, vatRate);
  }
  const snapshot = await deps.owner.entitlement(
    caller.tenantId,
    entitlementId,
    infoId,
    caller.correlationId,
  );
  if (!snapshot) throw AppError.notFound('Entitlement');
  return {
    customerId: snapshot.customer_id,
    billNumber: snapshot.bill_number,
    currency: snapshot.currency,
    details: snapshot.details,
    pricings: snapshot.pricings,
    vatRate: snapshot.utility?.vat_rate ?? 0,
  };
}

/** The invoice of an entitlement for a period from its facts; 422 when nothing in it bills. */
export function invoiceOfFacts(entitlementId: string, facts: EntitlementFacts, period: Period) {
  const { details, pricings, vatRate, currency } = facts;
  if (details.length === 0) {
    throw AppError.validation(`Entitlement ${entitlementId} has no details to bill`, [
      { field: 'entitlement_id', message: 'the entitlement has no details' },
    ]);
  }
  const { lines } = buildAutoLines({ details, pricings, vatRate, period });
  if (lines.length === 0) {
    throw AppError.validation(
      `Entitlement ${entitlementId} has no billable details from ${period.start} to ${period.end}`,
      [{ field: 'entitlement_id', message: 'no active detail in the billing period' }],
    );
  }
  return {
    customerId: facts.customerId,
    billNumber: facts.billNumber,
    currency,
    details: lines.map((l) => ({
      entitlement_details_id: l.entitlement_details_id,
      sub_total: formatMinor(l.sub_total_minor, currency),
      vat_rate: formatRate(l.vat_rate),
      remarks: l.remarks,
    })),
  };
}

export type FoundInvoice = ReturnType<typeof invoiceOfFacts>;

/** What auto-generation creates for an entitlement: the invoice request and where it comes from. */
export function generatedInvoice(
  found: FoundInvoice,
  req: AutoGenerateRequest,
  period: Period,
  runId: string | null,
): { req: CreateInvoiceRequest; source: InvoiceSource } {
  return {
    req: {
      customer_id: found.customerId,
      customer_entitlement_master_id: req.entitlement_id,
      information_master_id: req.information_master_id,
      issue_date: req.issue_date,
      due_date: req.due_date,
      status: req.issue ? 'unpaid' : 'draft',
      currency: found.currency,
      details: found.details,
      period_start: period.start,
      period_end: period.end,
    },
    source: {
      bill_number: found.billNumber,
      period_start: period.start,
      period_end: period.end,
      billing_run_id: runId,
    },
  };
}

/**
 * The invoice of one entitlement for one period (default: this month), a draft unless `issue` is
 * true. Idempotent: the same entitlement and period answer the same invoice. `created` tells
 * whether this call made it. A client's request bills the entitlement as customers holds it now;
 * a billing run's (runId) bills billing's copy, as the rest of its chunk.
 */
export async function autoGenerate(
  deps: InvoicingDeps,
  caller: Caller,
  req: AutoGenerateRequest,
  runId: string | null = null,
): Promise<{ invoice: Invoice; created: boolean }> {
  const period = periodOf(req);
  const id = autoInvoiceId(caller.tenantId, req.entitlement_id, period);
  const existing = await deps.invoices.findById(caller.tenantId, id);
  // made by an earlier delivery of the same run's chunk: still this run's invoice
  if (existing) return { invoice: existing, created: !!runId && existing.billing_run_id === runId };
  const facts = runId
    ? await projectedFactsOf(deps, caller.tenantId, req.entitlement_id)
    : await currentFacts(deps, caller, req.entitlement_id, req.information_master_id);
  const made = generatedInvoice(
    invoiceOfFacts(req.entitlement_id, facts, period),
    req,
    period,
    runId,
  );
  const invoice = await createInvoice(deps, caller, made.req, { id, source: made.source });
  // a concurrent generation may have won the race (createInvoice then answers its invoice)
  return { invoice, created: runId ? invoice.billing_run_id === runId : true };
}

/** One entitlement's facts from billing's copy. */
async function projectedFactsOf(deps: InvoicingDeps, tenantId: string, entitlementId: string) {
  const projection = projectionOf(deps);
  const details = await projection.detailsOfEntitlement(tenantId, entitlementId);
  const [pricings, vatRate] = await Promise.all([
    projection.pricingsOfPackages(tenantId, packagesOf(details)),
    projection.vatRate(tenantId),
  ]);
  return projectedFacts(entitlementId, details, pricings, vatRate);
}

/**
 * Seed 002 POST /api/bills/invoices/ with `auto_calculate: true`: the entitlement's lines for the
 * period (period_start/period_end, else the month of issue_date, else this month), then any lines
 * sent, on an ordinary invoice.
 */
export async function createAutoCalculatedInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceRequest,
): Promise<Invoice> {
  if (!req.customer_entitlement_master_id) {
    throw AppError.validation('Invalid invoice', [
      {
        field: 'customer_entitlement_master_id',
        message: 'is required with auto_calculate',
      },
    ]);
  }
  const period = periodOf(req, req.issue_date);
  const facts = await currentFacts(
    deps,
    caller,
    req.customer_entitlement_master_id,
    req.information_master_id,
  );
  const found = invoiceOfFacts(req.customer_entitlement_master_id, facts, period);
  if (req.currency && req.currency !== found.currency) {
    throw AppError.validation('Invalid invoice', [
      { field: 'currency', message: `the entitlement is billed in ${found.currency}` },
    ]);
  }
  return createInvoice(
    deps,
    caller,
    {
      ...req,
      customer_id: req.customer_id ?? found.customerId,
      currency: found.currency,
      details: [...found.details, ...(req.details ?? [])],
    },
    {
      source: { bill_number: found.billNumber, period_start: period.start, period_end: period.end },
    },
  );
}
