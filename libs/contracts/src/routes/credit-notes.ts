import { createCreditNoteRequest, creditNoteView } from '../api/credit-notes';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { binaryResponse, defineRoute } from '../route';

/** Credit notes against issued invoices (issue 17; billing service). */
export const CREDIT_NOTE_ROUTES = {
  create: defineRoute({
    method: 'post',
    operationId: 'creditNotes.create',
    path: '/api/bills/credit-notes',
    tag: 'bills',
    permission: 'bills:update',
    summary:
      'Issue a credit note against an issued invoice (an amount or chosen lines, with a reason); never more than the invoice still owes (422); 202 while pending',
    body: createCreditNoteRequest,
    status: 201,
    response: creditNoteView,
    idempotent: true,
  }),
  list: defineRoute({
    method: 'get',
    operationId: 'creditNotes.list',
    path: '/api/bills/credit-notes',
    tag: 'bills',
    permission: 'bills:read',
    summary: 'List credit notes, newest first',
    query: listParams({
      invoice_id: f.text('the invoice they credit'),
      customer_id: f.text('the customer of that invoice'),
    }),
    response: pageSchema(creditNoteView),
  }),
  pdf: defineRoute({
    method: 'get',
    operationId: 'creditNotes.pdf',
    path: '/api/bills/credit-notes/{id}/pdf',
    tag: 'bills',
    permission: 'bills:read',
    summary:
      'The credit note as a PDF (rendered on request; identical bytes for the same note; fonts for Latin and Bengali embedded)',
    produces: 'application/pdf',
    response: binaryResponse,
  }),
  get: defineRoute({
    method: 'get',
    operationId: 'creditNotes.get',
    path: '/api/bills/credit-notes/{id}',
    tag: 'bills',
    permission: 'bills:read',
    summary: 'A credit note',
    response: creditNoteView,
  }),
};
