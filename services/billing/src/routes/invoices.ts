import { Router } from 'express';
import {
  createInvoiceDetailRequest,
  createInvoiceRequest,
  listQuerySchema,
  ok,
} from '@ledgerline/contracts';
import { callerOf, parseBody, parseQuery, requirePermission } from '@ledgerline/platform';
import type { Request } from 'express';
import {
  addInvoiceLine,
  createInvoice,
  getInvoice,
  issueInvoice,
  voidInvoice,
  listInvoices,
  type Caller,
  type InvoicingDeps,
} from '../use-cases/invoices';
import { invoiceView } from '../views';

function caller(req: Request): Caller {
  const auth = callerOf(req);
  return { tenantId: auth.tenantId, userId: auth.userId, correlationId: req.correlationId };
}

/** Seed 002 BILLS app: /api/bills/invoices/ and /api/bills/invoice-details/. */
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
    const invoice = await createInvoice(deps, caller(req), parseBody(createInvoiceRequest, req));
    res
      .status(201)
      .location(`/api/bills/invoices/${invoice._id}/`)
      .json(ok(invoiceView(invoice), 'Invoice created'));
  });

  router.get('/invoices/:id', requirePermission('bills:read'), async (req, res) => {
    res.json(ok(invoiceView(await getInvoice(deps, caller(req), String(req.params.id)))));
  });

  router.post('/invoices/:id/issue', requirePermission('bills:update'), async (req, res) => {
    const invoice = await issueInvoice(deps, caller(req), String(req.params.id));
    res.json(ok(invoiceView(invoice), `Invoice ${invoice.invoice_number} issued`));
  });

  router.post('/invoices/:id/void', requirePermission('bills:update'), async (req, res) => {
    res.json(
      ok(
        invoiceView(await voidInvoice(deps, caller(req), String(req.params.id))),
        'Invoice voided',
      ),
    );
  });

  router.post('/invoice-details', requirePermission('bills:create'), async (req, res) => {
    const { invoice, lineId } = await addInvoiceLine(
      deps,
      caller(req),
      parseBody(createInvoiceDetailRequest, req),
    );
    const line = invoiceView(invoice).details.find((d) => d.id === lineId);
    res
      .status(201)
      .json(
        ok(
          { ...line, invoice: invoiceView(invoice) },
          'Invoice detail created; totals recalculated',
        ),
      );
  });

  return router;
}
