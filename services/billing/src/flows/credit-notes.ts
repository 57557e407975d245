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
  returnSubscriptionCredit,
  type Caller,
  type CreditNote,
  type InvoicingDeps,
  type ShownCreditNote,
} from '../modules/invoicing';
import type { PaymentsClient } from './clients/payments';

/**
 * Credit notes (issue 17) combine invoicing and the payments service, which owns what an invoice
 * still owes: (1) invoicing writes the note pending, without a number; (2) payments holds its
 * amount against the invoice's balance under the same lock as payments, or refuses it (4xx: no
 * number was used; the pending note is removed, or, when a subscription's credit balance paid for
 * it, returned to that balance: see `refused`); (3) invoicing gives it the next CN number with
 * CreditNoteIssued, and the worker applies it to the invoice. When payments cannot be asked the
 * note stays pending and the sweep below finishes it (the hold is idempotent by note id), so a
 * note is never issued without its hold nor held without being issued for long.
 */
interface CreditNoteDeps {
  invoicing: InvoicingDeps;
  payments: PaymentsClient;
}
type LoggedDeps = CreditNoteDeps & { logger: Logger };

/**
 * A refused hold. A note spending a subscription's credit balance (issue 18) must not lose that
 * money: it turns `returned` with SubscriptionCreditReturned (tenants credits the balance back),
 * once, whichever of the worker and the sweep saw the refusal first. Any other note is removed:
 * its client was told no.
 */
async function refused(deps: CreditNoteDeps, note: CreditNote, correlationId: string) {
  if (note.subscription_id)
    await returnSubscriptionCredit(deps.invoicing, note.tenant_id, note._id, correlationId);
  else await deps.invoicing.creditNotes.removePending(note.tenant_id, note._id);
}

async function holdAndIssue(
  deps: CreditNoteDeps,
  note: CreditNote,
  correlationId: string,
): Promise<ShownCreditNote> {
  // issued: answered as it is; returned: refused (409), never held or numbered again
  if (note.status !== 'pending')
    return issueCreditNote(deps.invoicing, note.tenant_id, note._id, correlationId);
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
    if (err instanceof AppError && err.status < 500) await refused(deps, note, correlationId);
    throw err;
  }
  return issueCreditNote(deps.invoicing, note.tenant_id, note._id, correlationId);
}

export async function createCreditNote(
  deps: CreditNoteDeps,
  caller: Caller,
  body: CreateCreditNoteRequest,
  idempotencyKey: string | undefined,
): Promise<ShownCreditNote> {
  const pending = await prepareCreditNote(deps.invoicing, caller, body, idempotencyKey);
  try {
    return await holdAndIssue(deps, pending, caller.correlationId);
  } catch (err) {
    // payments away: the note is created and stays pending until the sweep finishes it
    if (err instanceof AppError && err.status >= 500 && pending.status === 'pending')
      return { ...pending, status: 'pending' };
    throw err;
  }
}

/** What a refusal did to the note, for the log. */
const refusalOutcome = (note: CreditNote) =>
  note.subscription_id
    ? "refused by the payments service: its amount goes back to the subscription's credit balance"
    : 'refused by the payments service and removed';

/**
 * A pending note held and numbered now (the worker's credit from a subscriber's balance): the
 * payments service away leaves it pending for the sweep below; a refusal returns the amount to the
 * subscription's balance (logged). A note returned already (a redelivered invoice event) is left.
 */
export async function finishCreditNote(
  deps: LoggedDeps,
  note: CreditNote,
  correlationId: string,
): Promise<void> {
  if (note.status === 'returned') return;
  try {
    await holdAndIssue(deps, note, correlationId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    deps.logger.warn(
      { credit_note_id: note._id, error: err.message },
      err.status < 500
        ? `credit note ${refusalOutcome(note)}`
        : 'credit note left pending for the sweep',
    );
  }
}

/** Finishes notes left pending (payments was away, or the process stopped between steps). */
export async function finishPendingCreditNotes(
  deps: LoggedDeps,
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
          `pending credit note ${refusalOutcome(note)}`,
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
