import {
  AppError,
  buildEvent,
  toMinor,
  type CreateCreditNoteRequest,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import { deterministicId, newId, type Logger } from '@ledgerline/platform';
import { creditNoteAmounts } from '../domain/credit-notes';
import { credit, creditNoteMarker } from '../domain/settlement';
import type { CreditNote, ShownCreditNote } from '../store/credit-notes';
import type { Invoice } from '../store/invoices';
import { invoiceEventAmounts, type Caller, type InvoicingDeps } from './invoices';
import { withNextCreditNoteNumber } from './numbering';
import { markApplied, wasApplied } from './applied-markers';

/**
 * Credit notes (issue 17), invoicing's part: a pending note from the request, its number and
 * CreditNoteIssued once the payments service (the owner of what the invoice owes) has held its
 * amount, and its application to the invoice from that event. The flow in
 * flows/credit-notes.ts runs the three steps in order.
 */

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The note's id: from the client's Idempotency-Key when there is one, so that a retry after a
 * timeout or a 503 continues the same note (the payments service holds by note id) instead of
 * crediting twice.
 */
function creditNoteId(tenantId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newId('cn');
  return deterministicId('cn', [tenantId, idempotencyKey], { encoding: 'base64url', length: 22 });
}

/**
 * The pending note a request asks for (or the one the same Idempotency-Key asked for before, as it
 * is now: issued, pending, or returned to a subscription's balance). `subscriptionId`: the note
 * spends that provider subscription's credit balance, where a refused hold gives it back.
 */
export async function prepareCreditNote(
  deps: InvoicingDeps,
  caller: Caller,
  body: CreateCreditNoteRequest,
  idempotencyKey: string | undefined,
  opts: { subscriptionId?: string } = {},
): Promise<CreditNote> {
  const id = creditNoteId(caller.tenantId, idempotencyKey);
  if (idempotencyKey) {
    const before = await deps.creditNotes.findStored(caller.tenantId, id);
    if (before) {
      if (before.invoice_id !== body.invoice_id)
        throw AppError.validation('This Idempotency-Key was used for another credit note', [
          { field: 'invoice_id', message: 'differs from the first request with this key' },
        ]);
      return before;
    }
  }
  const invoice = await deps.invoices.findById(caller.tenantId, body.invoice_id);
  if (!invoice) throw AppError.notFound('Invoice');
  if (invoice.status === 'draft' || invoice.status === 'void')
    throw AppError.conflict(
      'invalid_state',
      `Invoice ${invoice._id} is ${invoice.status}; credit notes are for issued invoices`,
    );
  const money = (value: string | number, field: string) => toMinor(value, invoice.currency, field);
  const amounts = creditNoteAmounts(invoice, {
    ...(body.amount !== undefined && { amount_minor: money(body.amount, 'amount') }),
    ...(body.lines && {
      lines: body.lines.map((l, i) => ({
        invoice_detail_id: l.invoice_detail_id,
        ...(l.amount !== undefined && { amount_minor: money(l.amount, `lines.${i}.amount`) }),
      })),
    }),
  });
  // each credited line as the invoice describes it (its remarks, else its position)
  const described = amounts.lines.map((l) => {
    const at = invoice.details.findIndex((d) => d.id === l.invoice_detail_id);
    return { ...l, description: invoice.details[at]?.remarks?.trim() || `Line ${at + 1}` };
  });
  const note = {
    _id: id,
    tenant_id: caller.tenantId,
    status: 'pending' as const,
    credit_note_number: null,
    number_seq: null,
    number_key: `pending:${id}`,
    invoice_id: invoice._id,
    invoice_number: invoice.invoice_number,
    customer_id: invoice.customer_id,
    currency: invoice.currency,
    invoice_total_minor: invoice.total_minor,
    ...amounts,
    lines: described,
    reason: body.reason,
    issue_date: null,
    subscription_id: opts.subscriptionId ?? null,
    version: 1,
    created_by: caller.userId,
    updated_by: caller.userId,
  };
  // null: the same key a moment ago, from a request running beside this one
  return (
    (await deps.creditNotes.insertPending(note)) ??
    (await deps.creditNotes.findStored(caller.tenantId, id))!
  );
}

const returnedNote = (id: string) =>
  AppError.conflict(
    'invalid_state',
    `Credit note ${id} was returned to its subscription's balance`,
  );

/**
 * Gives a held note the tenant's next CN number and publishes CreditNoteIssued in the same
 * write; a note issued already is answered as it is. A returned note is never numbered (409): its
 * amount is back on the subscription's balance.
 */
export async function issueCreditNote(
  deps: InvoicingDeps,
  tenantId: string,
  id: string,
  correlationId: string,
): Promise<ShownCreditNote> {
  const current = await deps.creditNotes.findStored(tenantId, id);
  if (!current) throw AppError.notFound('Credit note');
  if (current.status === 'issued') return current as ShownCreditNote;
  if (current.status === 'returned') throw returnedNote(id);
  return withNextCreditNoteNumber(
    { series: deps.creditNotes.series, locks: deps.locks },
    tenantId,
    async (seq, number) => {
      const { after } = await deps.aggregates.change<CreditNote>(
        deps.creditNotes.aggregate,
        { id, tenantId },
        (note) => {
          if (note.status === 'issued') return undefined;
          // returned meanwhile (a refusal seen by the other path): no number is used
          if (note.status === 'returned') throw returnedNote(id);
          const issued = { ...note, credit_note_number: number, issue_date: today() };
          return {
            set: {
              status: 'issued',
              credit_note_number: number,
              number_seq: seq,
              number_key: number,
              issue_date: issued.issue_date,
            },
            events: [issuedEvent(issued, correlationId)],
          };
        },
      );
      return after as ShownCreditNote;
    },
  );
}

/**
 * A pending note that spends a subscription's credit balance, refused by payments (the invoice
 * owes nothing now): in one write on the note, it becomes `returned` (never numbered, not shown)
 * with SubscriptionCreditReturned in its outbox, so tenants puts the amount back on the balance.
 * Only a pending note turns, so a refusal seen twice (the worker and the sweep) writes once.
 * Answers whether this call returned it.
 */
export async function returnSubscriptionCredit(
  deps: Pick<InvoicingDeps, 'creditNotes' | 'aggregates'>,
  tenantId: string,
  id: string,
  correlationId: string,
): Promise<boolean> {
  const { changed } = await deps.aggregates.change<CreditNote>(
    deps.creditNotes.aggregate,
    { id, tenantId },
    (note) => {
      if (note.status !== 'pending' || !note.subscription_id) return undefined;
      return {
        set: { status: 'returned', updated_by: 'system:credit-notes' },
        events: [
          buildEvent('SubscriptionCreditReturned', {
            tenant_id: tenantId,
            correlation_id: correlationId,
            data: {
              subscription_id: note.subscription_id,
              credit_note_id: note._id,
              invoice_id: note.invoice_id,
              amount_minor: note.amount_minor,
              currency: note.currency,
            },
          }),
        ],
      };
    },
  );
  return changed;
}

function issuedEvent(note: CreditNote, correlationId: string): EventEnvelope {
  return buildEvent('CreditNoteIssued', {
    tenant_id: note.tenant_id,
    correlation_id: correlationId,
    data: {
      credit_note_id: note._id,
      credit_note_number: note.credit_note_number!,
      invoice_id: note.invoice_id,
      invoice_number: note.invoice_number,
      customer_id: note.customer_id,
      currency: note.currency,
      amount_minor: note.amount_minor,
      vat_minor: note.vat_minor,
      net_minor: note.net_minor,
      reason: note.reason,
      issue_date: note.issue_date!,
    },
  });
}

/**
 * CreditNoteIssued (billing's worker): what the invoice owes drops by the note's amount, once (its
 * marker in applied_payments, in the same write), with InvoiceStatusChanged naming the note for
 * the ledger. A note whose invoice was voided meanwhile is not applied (logged: the void refused
 * notes it knew of; this one raced it).
 */
export async function applyCreditNote(
  deps: InvoicingDeps & { logger: Logger },
  event: EventEnvelope<'CreditNoteIssued'>,
): Promise<void> {
  const d = event.data;
  const marker = creditNoteMarker(d.credit_note_id);
  await deps.aggregates.change<Invoice>(
    deps.invoices.aggregate,
    { id: d.invoice_id, tenantId: event.tenant_id },
    async (invoice) => {
      if (await wasApplied(deps.invoices.applied, invoice, marker)) return undefined;
      if (invoice.status === 'void' || invoice.status === 'draft') {
        deps.logger.error(
          { invoice_id: invoice._id, credit_note_id: d.credit_note_id, status: invoice.status },
          'credit note not applied: its invoice is no longer issued',
        );
        return undefined;
      }
      const next = credit(invoice, d.amount_minor);
      const entry = {
        id: d.credit_note_id,
        number: d.credit_note_number,
        amount_minor: d.amount_minor,
      };
      const marked = await markApplied(deps.invoices.applied, invoice, [marker]);
      return {
        set: { ...next, ...marked.set },
        push: { ...marked.push, credit_notes: entry },
        events: [
          buildEvent('InvoiceStatusChanged', {
            tenant_id: event.tenant_id,
            correlation_id: event.correlation_id,
            data: {
              ...invoiceEventAmounts({ ...invoice, ...next }),
              previous_status: invoice.status,
              payment_id: null,
              applied_minor: 0,
              payment_change: null,
              refund_id: null,
              credit_note: {
                credit_note_id: d.credit_note_id,
                credit_note_number: d.credit_note_number,
                amount_minor: d.amount_minor,
                vat_minor: d.vat_minor,
                net_minor: d.net_minor,
              },
            },
          }),
        ],
      };
    },
  );
}

export async function getCreditNote(deps: InvoicingDeps, caller: Caller, id: string) {
  const note = await deps.creditNotes.findById(caller.tenantId, id);
  if (!note) throw AppError.notFound('Credit note');
  return note;
}

export function listCreditNotes(
  deps: InvoicingDeps,
  caller: Caller,
  query: ListQuery,
  filter: { invoice_id?: string; customer_id?: string },
) {
  return deps.creditNotes.list(caller.tenantId, query, filter);
}
