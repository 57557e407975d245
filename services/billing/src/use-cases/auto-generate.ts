import { createHash } from 'node:crypto';
import {
  AppError,
  formatMinor,
  formatRate,
  type AutoGenerateRequest,
  type CreateInvoiceRequest,
} from '@ledgerline/contracts';
import { buildAutoLines, type Period } from '../domain/invoice-lines';
import { calendarMonth } from '../domain/proration';
import type { Invoice } from '../store/invoices';
import type { EntitlementProjection } from '../store/entitlements';
import { createInvoice, type Caller, type InvoicingDeps } from './invoices';

/**
 * The one invoice of an entitlement for a period has an id derived from tenant, entitlement and
 * period, so generating it again (auto_generate twice, a redelivered billing-run chunk) finds the
 * invoice made the first time instead of making a second one.
 */
export function autoInvoiceId(tenantId: string, entitlementId: string, period: Period): string {
  const digest = createHash('sha256')
    .update(`${tenantId}\n${entitlementId}\n${period.start}\n${period.end}`)
    .digest('hex');
  return `inv_auto_${digest.slice(0, 24)}`;
}

function projectionOf(deps: InvoicingDeps): EntitlementProjection {
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

/** The invoice lines of an entitlement for a period, from billing's projection of its details. */
export async function entitlementInvoice(
  deps: InvoicingDeps,
  tenantId: string,
  entitlementId: string,
  period: Period,
  infoId?: string | null,
) {
  const projection = projectionOf(deps);
  const details = await projection.detailsOfEntitlement(tenantId, entitlementId);
  if (details.length === 0) throw AppError.notFound('Entitlement (or it has no details yet)');
  const packages = [
    ...new Set(details.map((d) => d.package_master_id).filter((p): p is string => !!p)),
  ];
  const [pricings, vatRate] = await Promise.all([
    projection.pricingsOfPackages(tenantId, packages),
    projection.vatRate(tenantId, infoId),
  ]);
  const { lines } = buildAutoLines({ details, pricings, vatRate, period });
  if (lines.length === 0) {
    throw AppError.validation(
      `Entitlement ${entitlementId} has no billable details from ${period.start} to ${period.end}`,
      [{ field: 'entitlement_id', message: 'no active detail in the billing period' }],
    );
  }
  const first = details[0]!;
  const currency = first.currency;
  return {
    customerId: first.customer_id,
    billNumber: first.bill_number,
    currency,
    details: lines.map((l) => ({
      entitlement_details_id: l.entitlement_details_id,
      sub_total: formatMinor(l.sub_total_minor, currency),
      vat_rate: formatRate(l.vat_rate),
      remarks: l.remarks,
    })),
  };
}

/**
 * Seed 002 auto_generate: the invoice of one entitlement for one period (default: this month),
 * a draft unless `issue` is true. Idempotent: the same entitlement and period answer the same
 * invoice. `created` tells whether this call made it.
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
  const found = await entitlementInvoice(
    deps,
    caller.tenantId,
    req.entitlement_id,
    period,
    req.information_master_id,
  );
  const invoice = await createInvoice(
    deps,
    caller,
    {
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
    {
      id,
      source: {
        bill_number: found.billNumber,
        period_start: period.start,
        period_end: period.end,
        billing_run_id: runId,
      },
    },
  );
  // a concurrent generation may have won the race (createInvoice then answers its invoice)
  return { invoice, created: runId ? invoice.billing_run_id === runId : true };
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
  const found = await entitlementInvoice(
    deps,
    caller.tenantId,
    req.customer_entitlement_master_id,
    period,
    req.information_master_id,
  );
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
