import { Router, type Request } from 'express';
import {
  AppError,
  autoGenerateRequest,
  createInvoiceDetailRequest,
  createInvoiceRequest,
  listQuerySchema,
  ok,
  updateInvoiceDetailRequest,
  updateInvoiceRequest,
} from '@ledgerline/contracts';
import {
  callerOf,
  parseBody,
  parseQuery,
  requirePermission,
  requestCaller,
} from '@ledgerline/platform';
import { generateDue, type Generated } from '../use-cases/auto-generate-due';
import { createRequestedInvoice } from '../use-cases/client-invoices';
import {
  addInvoiceLine,
  deleteInvoice,
  deleteInvoiceLine,
  getInvoiceLine,
  issueInvoice,
  listInvoiceLines,
  updateInvoice,
  updateInvoiceLine,
  voidInvoice,
} from '../use-cases/invoice-edits';
import { listInvoices, type InvoicingDeps } from '../use-cases/invoices';
import { invoiceView } from '../views';
import { invoiceHistory } from './customer-bills';

const caller = requestCaller;

const id = (req: Request) => String(req.params.id);

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

/** Seed 002 BILLS app: /api/bills/invoices/, /api/bills/invoice-details/, billing runs. */
export function invoiceRoutes(deps: InvoicingDeps): Router {
  const router = Router();

  router.get('/invoices', requirePermission('bills:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const { results, count } = await listInvoices(deps, caller(req), query);
    res.json(
      ok({ results: results.map(invoiceView), count, page: query.page, per_page: query.perPage }),
    );
  });

  router.post('/invoices', requirePermission('bills:create'), async (req, res) => {
    const invoice = await createRequestedInvoice(
      deps,
      caller(req),
      parseBody(createInvoiceRequest, req),
    );
    res
      .status(201)
      .location(`/api/bills/invoices/${invoice._id}/`)
      .json(ok(invoiceView(invoice), 'Invoice created'));
  });

  router.post('/invoices/auto_generate', requirePermission('bills:create'), async (req, res) => {
    const generated = await generateDue(deps, caller(req), parseBody(autoGenerateRequest, req));
    const made = generated.filter((g) => g.created).length;
    // the latest period's invoice, with every invoice the call answers listed (oldest first)
    const latest = generated[generated.length - 1]!.invoice;
    res
      .status(made > 0 ? 201 : 200)
      .location(`/api/bills/invoices/${latest._id}/`)
      .json(
        ok(
          { ...invoiceView(latest), invoices: generated.map(generatedView) },
          made > 0
            ? `${made} invoice${made > 1 ? 's' : ''} generated`
            : 'Already billed: nothing new to generate',
        ),
      );
  });

  router.get('/invoices/history', requirePermission('bills:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    res.json(ok(await invoiceHistory(deps.invoices, callerOf(req).tenantId, query)));
  });

  router.get('/invoices/:id', requirePermission('bills:read'), async (req, res) => {
    // a read: the view's fields straight from the store, the same 404 as every other invoice path
    const invoice = await deps.invoices.findViewById(callerOf(req).tenantId, id(req));
    if (!invoice) throw AppError.notFound('Invoice');
    res.json(ok(invoiceView(invoice)));
  });

  for (const [method, full] of [
    ['patch', false],
    ['put', true],
  ] as const) {
    router[method]('/invoices/:id', requirePermission('bills:update'), async (req, res) => {
      const body = parseBody(updateInvoiceRequest, req);
      const invoice = await updateInvoice(deps, caller(req), id(req), body, full);
      res.json(ok(invoiceView(invoice), 'Invoice updated; totals recalculated'));
    });
    router[method]('/invoice-details/:id', requirePermission('bills:update'), async (req, res) => {
      const body = parseBody(updateInvoiceDetailRequest, req);
      const invoice = await updateInvoiceLine(deps, caller(req), id(req), body, full);
      res.json(ok(lineView(invoice, id(req)), 'Invoice detail updated; totals recalculated'));
    });
  }

  router.delete('/invoices/:id', requirePermission('bills:update'), async (req, res) => {
    await deleteInvoice(deps, caller(req), id(req));
    res.status(204).end();
  });

  router.post('/invoices/:id/issue', requirePermission('bills:update'), async (req, res) => {
    const invoice = await issueInvoice(deps, caller(req), id(req));
    res.json(ok(invoiceView(invoice), `Invoice ${invoice.invoice_number} issued`));
  });

  router.post('/invoices/:id/void', requirePermission('bills:update'), async (req, res) => {
    res.json(ok(invoiceView(await voidInvoice(deps, caller(req), id(req))), 'Invoice voided'));
  });

  router.get('/invoice-details', requirePermission('bills:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const { results, count } = await listInvoiceLines(deps, caller(req), query);
    res.json(
      ok({
        results: results.map(({ invoice, line }) => {
          const { invoice: _i, ...detail } = lineView(invoice, line.id);
          return detail;
        }),
        count,
        page: query.page,
        per_page: query.perPage,
      }),
    );
  });

  router.post('/invoice-details', requirePermission('bills:create'), async (req, res) => {
    const { invoice, lineId } = await addInvoiceLine(
      deps,
      caller(req),
      parseBody(createInvoiceDetailRequest, req),
    );
    res
      .status(201)
      .json(ok(lineView(invoice, lineId), 'Invoice detail created; totals recalculated'));
  });

  router.get('/invoice-details/:id', requirePermission('bills:read'), async (req, res) => {
    const { invoice } = await getInvoiceLine(deps, caller(req), id(req));
    res.json(ok(lineView(invoice, id(req))));
  });

  router.delete('/invoice-details/:id', requirePermission('bills:update'), async (req, res) => {
    await deleteInvoiceLine(deps, caller(req), id(req));
    res.status(204).end();
  });

  return router;
}
