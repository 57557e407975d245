import { Router } from 'express';
import {
  AppError,
  CREDIT_NOTE_ROUTES as R,
  pageOf,
  toListQuery,
  type CreateCreditNoteRequest,
} from '@ledgerline/contracts';
import { bindRoute, type Logger } from '@ledgerline/platform';
import {
  creditNoteView,
  getCreditNote,
  issueCreditNote,
  listCreditNotes,
  prepareCreditNote,
  type Caller,
  type CreditNote,
  type InvoicingDeps,
} from '../modules/invoicing';
import type { PaymentsClient } from './clients/payments';

/**
 * Credit notes (issue 17) combine invoicing and the payments service, which owns what an invoice
 * still owes: (1) invoicing writes the note pending, without a number; (2) payments holds its
 * amount against the invoice's balance under the same lock as payments, or refuses it (422: the
 * pending note is removed, no number was used); (3) invoicing gives it the next CN number with
 * CreditNoteIssued, and the worker applies it to the invoice. When payments cannot be asked the
 * note stays pending and the sweep below finishes it (the hold is idempotent by note id), so a
 * note is never issued without its hold nor held without being issued for long.
 */
interface CreditNoteDeps {
  invoicing: InvoicingDeps;
  payments: PaymentsClient;
}

async function holdAndIssue(
  deps: CreditNoteDeps,
  note: CreditNote,
  correlationId: string,
): Promise<CreditNote> {
  if (note.status === 'issued') return note;
  try {
    await deps.payments.holdCredit(
      note.tenant_id,
      note.invoice_id,
      {
        credit_note_id: note._id,
        amount_minor: note.amount_minor,
        invoice_total_minor: note.invoice_total_minor,
        currency: note.currency,
      },
      correlationId,
    );
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      await deps.invoicing.creditNotes.removePending(note.tenant_id, note._id);
    }
    throw err;
  }
  return issueCreditNote(deps.invoicing, note.tenant_id, note._id, correlationId);
}

export async function createCreditNote(
  deps: CreditNoteDeps,
  caller: Caller,
  body: CreateCreditNoteRequest,
  idempotencyKey: string | undefined,
): Promise<CreditNote> {
  const pending = await prepareCreditNote(deps.invoicing, caller, body, idempotencyKey);
  try {
    return await holdAndIssue(deps, pending, caller.correlationId);
  } catch (err) {
    // payments away: the note is created and stays pending until the sweep finishes it
    if (err instanceof AppError && err.status >= 500) return pending;
    throw err;
  }
}

/** Finishes notes left pending (payments was away, or the process stopped between steps). */
/**
 * A pending note held and numbered now (the worker's credit from a subscriber's balance): the
 * payments service away leaves it pending for the sweep below; a refusal removes it (logged).
 */
export async function finishCreditNote(
  deps: CreditNoteDeps & { logger: Logger },
  note: CreditNote,
  correlationId: string,
): Promise<void> {
  try {
    await holdAndIssue(deps, note, correlationId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    deps.logger.warn(
      { credit_note_id: note._id, error: err.message },
      err.status < 500
        ? 'credit note refused by the payments service and removed'
        : 'credit note left pending for the sweep',
    );
  }
}

export async function finishPendingCreditNotes(
  deps: CreditNoteDeps & { logger: Logger },
  olderThanMs = 10_000,
): Promise<number> {
  const pending = await deps.invoicing.creditNotes.pendingBefore(
    new Date(Date.now() - olderThanMs),
    100,
  );
  let finished = 0;
  for (const note of pending) {
    try {
      await holdAndIssue(deps, note, `credit-note-sweep-${note._id}`);
      finished++;
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        deps.logger.warn(
          { credit_note_id: note._id, error: err.message },
          'pending credit note refused by the payments service and removed',
        );
      else throw err;
    }
  }
  return finished;
}

export function creditNoteRoutes(deps: CreditNoteDeps): Router {
  const router = Router();
  bindRoute(router, R.create, async ({ caller, body, idempotencyKey, res }) => {
    const note = await createCreditNote(deps, caller, body, idempotencyKey);
    res.location(`/api/bills/credit-notes/${note._id}/`);
    return { data: creditNoteView(note) };
  });
  bindRoute(router, R.list, async ({ caller, query }) => {
    const q = toListQuery(query);
    const found = await listCreditNotes(deps.invoicing, caller, q, {
      invoice_id: query.invoice_id,
      customer_id: query.customer_id,
    });
    return { data: pageOf(q, { results: found.results.map(creditNoteView), count: found.count }) };
  });
  bindRoute(router, R.get, async ({ caller, params }) => ({
    data: creditNoteView(await getCreditNote(deps.invoicing, caller, params.id)),
  }));
  return router;
}
