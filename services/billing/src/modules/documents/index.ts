/**
 * The documents module: invoices as PDF files, rendered on request and stored nowhere. A generic
 * renderer (a document model in, PDF bytes out) that a credit note will reuse; the invoice's
 * model; the routes. The only file other modules and flows may import (eslint.config.mjs).
 */
export { documentsDeps } from './wiring';
export { documentRoutes, pdfAnswer } from './routes/documents';
export { platformInvoicePdf, type DocumentsDeps, type PdfFile } from './use-cases/invoice-pdf';
export type { DocumentModel } from './domain/document-model';
export { renderPdf } from './render/pdf';
