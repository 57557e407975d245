import { AppError, type AutoGenerateRequest } from '@ledgerline/contracts';
import { isBillable, type BillableDetail, type Period } from '../domain/invoice-lines';
import { calendarMonth, overlap } from '../domain/proration';
import type { Invoice } from '../store/invoices';
import {
  autoGenerate,
  autoInvoiceId,
  currentFacts,
  generatedInvoice,
  invoiceOfFacts,
} from './auto-generate';
import { createInvoices } from './create-invoice';
import type { Caller, InvoicingDeps } from './invoices';

/** At most this many months are billed by one call (the oldest first); a next call bills on. */
export const MAX_PERIODS_PER_CALL = 60;

export interface Generated {
  invoice: Invoice;
  created: boolean;
}

const why = (message: string, detail: string) =>
  AppError.validation(message, [{ field: 'entitlement_id', message: detail }]);

/** The calendar month after `period` (a month): the one holding the day after its end. */
function nextMonth(period: Period): Period {
  return calendarMonth(new Date(Date.parse(`${period.end}T00:00:00Z`) + 86_400_000));
}

/**
 * The calendar months an entitlement owes up to `today` (this month included, billed in advance
 * as a period is): each month from its first active row's start that some active row meets.
 * Refuses (422, saying why) an entitlement with nothing to bill.
 */
export function dueMonths(
  entitlementId: string,
  details: readonly BillableDetail[],
  today: string,
): Period[] {
  if (details.length === 0) {
    throw why(
      `Entitlement ${entitlementId} has no details to bill`,
      'the entitlement has no details',
    );
  }
  const active = details.filter((d) => d.is_active && d.status === 'active');
  if (active.length === 0) {
    throw why(
      `Entitlement ${entitlementId} has no active details to bill`,
      'every detail of the entitlement is inactive',
    );
  }
  const first = active.map((d) => d.start_date).reduce((a, b) => (b < a ? b : a));
  if (first > today) {
    throw why(
      `Entitlement ${entitlementId} has nothing due yet: its first billable day is ${first}`,
      'no detail has started yet',
    );
  }
  const last = calendarMonth(new Date(`${today}T00:00:00Z`));
  const months: Period[] = [];
  for (let m = calendarMonth(new Date(`${first}T00:00:00Z`)); m.start <= last.start;) {
    if (active.some((d) => isBillable(d, m))) months.push(m);
    m = nextMonth(m);
  }
  return months;
}

/** The invoice already billing a month: the month's own, else another one whose period meets it. */
function billedBy(invoices: readonly Invoice[], id: string, month: Period): Invoice | undefined {
  return (
    invoices.find((i) => i._id === id) ??
    invoices.find(
      (i) =>
        i.status !== 'void' &&
        overlap(month, { start: i.period_start!, end: i.period_end ?? null }) !== null,
    )
  );
}

/**
 * Seed 002 auto_generate. With a period: that period's invoice (see autoGenerate). Without: what
 * is due and not billed yet up to today, one invoice per calendar month (idempotent per
 * entitlement and month; a month an invoice of the entitlement already covers, e.g. one made
 * with auto_calculate, is not billed again). Answers every month's invoice, oldest first, each
 * marked `created` when this call made it; the same call again creates nothing.
 */
export async function generateDue(
  deps: InvoicingDeps,
  caller: Caller,
  req: AutoGenerateRequest,
  today = new Date().toISOString().slice(0, 10),
): Promise<Generated[]> {
  if (req.period_start || req.period_end) return [await autoGenerate(deps, caller, req)];
  const entitlementId = req.entitlement_id;
  const facts = await currentFacts(deps, caller, entitlementId, req.information_master_id);
  const months = dueMonths(entitlementId, facts.details, today);
  const billed = await deps.invoices.billedPeriodsOf(caller.tenantId, entitlementId);
  const answered = new Map<string, Generated>();
  const toMake: Parameters<typeof createInvoices>[2] = [];
  let lastReason: AppError | null = null;
  for (const month of months) {
    const id = autoInvoiceId(caller.tenantId, entitlementId, month);
    const found = billedBy(billed, id, month);
    if (found) {
      answered.set(found._id, { invoice: found, created: false });
      continue;
    }
    if (toMake.length >= MAX_PERIODS_PER_CALL) continue;
    try {
      const made = generatedInvoice(invoiceOfFacts(entitlementId, facts, month), req, month, null);
      toMake.push({ id, ...made });
    } catch (err) {
      // a month whose rows have no price yields no lines: nothing to bill for it
      if (!(err instanceof AppError)) throw err;
      lastReason = err;
    }
  }
  const saved = await createInvoices(deps, caller, toMake);
  for (const invoice of saved) answered.set(invoice._id, { invoice, created: true });
  if (answered.size === 0) {
    throw lastReason ?? why(`Entitlement ${entitlementId} has nothing due`, 'nothing to bill');
  }
  return [...answered.values()].sort(
    (a, b) =>
      (a.invoice.period_start ?? '').localeCompare(b.invoice.period_start ?? '') ||
      a.invoice._id.localeCompare(b.invoice._id),
  );
}
