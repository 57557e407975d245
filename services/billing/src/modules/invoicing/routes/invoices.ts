import { Router } from 'express';
import { AppError, INVOICE_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { generateDue, type Generated } from '../use-cases/auto-generate-due';
import { createRequestedInvoice } from '../use-cases/client-invoices';
import {
  deleteInvoice,
  issueInvoice,
  updateInvoice,
  voidInvoice,
} from '../use-cases/invoice-edits';
import {
  addInvoiceLine,
  deleteInvoiceLine,
  getInvoiceLine,
  listInvoiceLines,
  updateInvoiceLine,
} from '../use-cases/line-edits';
import { listInvoices, type InvoicingDeps } from '../use-cases/invoices';
import { invoiceView } from '../views';
import { invoiceHistory } from './customer-bills';

/** A line as seed 002 shows it, with its invoice (totals recalculated). */
function lineView(invoice: Parameters<typeof invoiceView>[0], lineId: string) {
  const view = invoiceView(invoice);
  return { ...view.details.find((d) => d.id === lineId)!, invoice: view };
}

/** One invoice an auto_generate call answers, as listed beside the latest one. */
function generatedView({ invoice, created }: Generated) {
  const view = invoiceView(invoice);
  return {
    id: view.id,
    invoice_number: view.invoice_number,
    status: view.status,
    period_start: view.period_start,
    period_end: view.period_end,
    currency: view.currency,
    total_bill_amount: view.total_bill_amount,
    created,
  };
}

/** Seed 002 BILLS app: /api/bills/invoices/ and /api/bills/invoice-details/ (INVOICE_ROUTES). */
export function invoiceRoutes(deps: InvoicingDeps): Router {
  const router = Router();

  bindRoute(router, R.list, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listInvoices(deps, caller, q);
    return { data: pageOf(q, { results: results.map(invoiceView), count }) };
  });

  bindRoute(router, R.create, async ({ caller, body, res }) => {
    const invoice = await createRequestedInvoice(deps, caller, body);
    res.location(`/api/bills/invoices/${invoice._id}/`);
    return { data: invoiceView(invoice), message: 'Invoice created' };
  });

  // always 201 (the route's one status): a repeat creates nothing and says so per invoice
  bindRoute(router, R.autoGenerate, async ({ caller, body, res }) => {
    const generated = await generateDue(deps, caller, body);
    const made = generated.filter((g) => g.created).length;
    // the latest period's invoice, with every invoice the call answers listed (oldest first)
    const latest = generated[generated.length - 1]!.invoice;
    res.location(`/api/bills/invoices/${latest._id}/`);
    return {
      data: { ...invoiceView(latest), invoices: generated.map(generatedView) },
      message:
        made > 0
          ? `${made} invoice${made > 1 ? 's' : ''} generated`
          : 'Already billed: nothing new to generate',
    };
  });

  bindRoute(router, R.history, async ({ caller, query }) => ({
    data: await invoiceHistory(deps.invoices, caller.tenantId, toListQuery(query)),
  }));

  bindRoute(router, R.get, async ({ caller, params }) => {
    // a read: the view's fields straight from the store, the same 404 as every other invoice path
    const invoice = await deps.invoices.findViewById(caller.tenantId, params.id);
    if (!invoice) throw AppError.notFound('Invoice');
    return { data: invoiceView(invoice) };
  });

  for (const [spec, full] of [
    [R.patch, false],
    [R.replace, true],
  ] as const) {
    bindRoute(router, spec, async ({ caller, params, body }) => ({
      data: invoiceView(await updateInvoice(deps, caller, params.id, body, full)),
      message: 'Invoice updated; totals recalculated',
    }));
  }

  bindRoute(router, R.remove, async ({ caller, params }) => {
    await deleteInvoice(deps, caller, params.id);
  });

  bindRoute(router, R.issue, async ({ caller, params }) => {
    const invoice = await issueInvoice(deps, caller, params.id);
    return { data: invoiceView(invoice), message: `Invoice ${invoice.invoice_number} issued` };
  });

  bindRoute(router, R.void, async ({ caller, params }) => ({
    data: invoiceView(await voidInvoice(deps, caller, params.id)),
    message: 'Invoice voided',
  }));

  bindRoute(router, R.lines, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listInvoiceLines(deps, caller, q);
    const lines = results.map(({ invoice, line }) => {
      const { invoice: _i, ...detail } = lineView(invoice, line.id);
      return detail;
    });
    return { data: pageOf(q, { results: lines, count }) };
  });

  bindRoute(router, R.addLine, async ({ caller, body }) => {
    const { invoice, lineId } = await addInvoiceLine(deps, caller, body);
    return {
      data: lineView(invoice, lineId),
      message: 'Invoice detail created; totals recalculated',
    };
  });

  bindRoute(router, R.line, async ({ caller, params }) => {
    const { invoice } = await getInvoiceLine(deps, caller, params.id);
    return { data: lineView(invoice, params.id) };
  });

  for (const [spec, full] of [
    [R.patchLine, false],
    [R.replaceLine, true],
  ] as const) {
    bindRoute(router, spec, async ({ caller, params, body }) => ({
      data: lineView(await updateInvoiceLine(deps, caller, params.id, body, full), params.id),
      message: 'Invoice detail updated; totals recalculated',
    }));
  }

  bindRoute(router, R.removeLine, async ({ caller, params }) => {
    await deleteInvoiceLine(deps, caller, params.id);
  });

  return router;
}
