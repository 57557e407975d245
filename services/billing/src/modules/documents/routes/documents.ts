import { Router, type Response } from 'express';
import { CREDIT_NOTE_ROUTES, INVOICE_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import {
  creditNotePdf,
  tenantInvoicePdf,
  type DocumentsDeps,
  type PdfFile,
} from '../use-cases/invoice-pdf';

/**
 * How a document is answered. No ETag: no service computes one and the gateway documents none;
 * rendering takes a few milliseconds, so a client that asks again gets it fresh (private: it
 * names a tenant's customer; max-age 0: a payment changes it at any moment).
 */
export function pdfAnswer(res: Response, file: PdfFile) {
  res.set({
    'content-disposition': `inline; filename="${file.filename}"`,
    'cache-control': 'private, max-age=0',
  });
  return { data: file.bytes };
}

/** GET /api/bills/invoices/{id}/pdf and /api/bills/credit-notes/{id}/pdf (as their GETs' permissions and 404s). */
export function documentRoutes(deps: DocumentsDeps): Router {
  const router = Router();
  bindRoute(router, R.pdf, async ({ caller, params, res }) =>
    pdfAnswer(res, await tenantInvoicePdf(deps, caller, params.id)),
  );
  bindRoute(router, CREDIT_NOTE_ROUTES.pdf, async ({ caller, params, res }) =>
    pdfAnswer(res, await creditNotePdf(deps, caller, params.id)),
  );
  return router;
}
