import { Router } from 'express';
import { AppError, ok } from '@ledgerline/contracts';
import type { InvoicingDeps } from '../use-cases/invoices';
import { invoiceView } from '../views';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. The webhooks service's event catalogue reads an invoice here to send it as its tenant's
 * `GET /api/bills/invoices/{id}/` answers it (the same read and view), 404 for another tenant's.
 */
export function internalInvoiceRoutes(deps: Pick<InvoicingDeps, 'invoices'>): Router {
  const router = Router();
  router.get('/internal/tenants/:tenantId/invoices/:id', async (req, res) => {
    const invoice = await deps.invoices.findViewById(
      String(req.params.tenantId),
      String(req.params.id),
    );
    if (!invoice) throw AppError.notFound('Invoice');
    res.json(ok(invoiceView(invoice)));
  });
  return router;
}
