import { Router } from 'express';
import { AppError, ok } from '@ledgerline/contracts';
import type { InvoicingDeps } from '../use-cases/invoices';
import { creditNoteView, invoiceView } from '../views';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. The webhooks service's event catalogue reads an invoice here to send it as its tenant's
 * `GET /api/bills/invoices/{id}/` answers it (the same read and view), 404 for another tenant's;
 * a credit note likewise.
 */
export function internalInvoiceRoutes(
  deps: Pick<InvoicingDeps, 'invoices' | 'creditNotes'>,
): Router {
  const router = Router();
  router.get('/internal/tenants/:tenantId/invoices/:id', async (req, res) => {
    const invoice = await deps.invoices.findViewById(
      String(req.params.tenantId),
      String(req.params.id),
    );
    if (!invoice) throw AppError.notFound('Invoice');
    res.json(ok(invoiceView(invoice)));
  });
  // a credit note as `GET /api/bills/credit-notes/{id}/` answers it
  router.get('/internal/tenants/:tenantId/credit-notes/:id', async (req, res) => {
    const note = await deps.creditNotes.findById(
      String(req.params.tenantId),
      String(req.params.id),
    );
    if (!note) throw AppError.notFound('Credit note');
    res.json(ok(creditNoteView(note)));
  });
  return router;
}
