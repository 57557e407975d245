import {
  AppError,
  formatMinor,
  sumMinor,
  type InternalCreditAnswer,
  type InternalCreditRequest,
} from '@ledgerline/contracts';
import { outstandingOfHeld } from '../domain/invoice-balance';
import type { PaymentsDeps } from './deps';
import { currentBalanceParts, onInvoiceBalance } from './invoice-decisions';

/**
 * A credit note's amount held against its invoice (issue 17). The payments service owns what an
 * invoice still owes (it holds every payment); a credit note lowers it, so it is decided here,
 * under the invoice's balance lock, on the same current data as a payment: a payment and a credit
 * note racing each other cannot together take more than the invoice's total. Asking again for a
 * credit note already held answers the same (billing retries after a crash).
 */
export async function holdCreditNote(
  deps: Pick<PaymentsDeps, 'payments' | 'invoicePayments' | 'aggregates'>,
  tenantId: string,
  invoiceId: string,
  req: InternalCreditRequest,
): Promise<InternalCreditAnswer> {
  return onInvoiceBalance(deps, tenantId, invoiceId, async () => {
    const parts = await currentBalanceParts(deps, tenantId, invoiceId);
    const owedBefore = (credited: number) =>
      outstandingOfHeld(sumMinor([req.invoice_total_minor, -credited]), parts.othersHeld);
    const already = parts.credits[req.credit_note_id];
    if (already !== undefined) {
      if (already !== req.amount_minor)
        throw AppError.conflict(
          'invalid_state',
          `Credit note ${req.credit_note_id} already holds another amount`,
        );
      return {
        credit_note_id: req.credit_note_id,
        amount_minor: already,
        outstanding_minor: owedBefore(parts.creditedMinor),
      };
    }
    const outstanding = owedBefore(parts.creditedMinor);
    if (req.amount_minor > outstanding)
      throw AppError.validation('The credit note exceeds what the invoice owes', [
        {
          field: 'amount',
          message:
            outstanding === 0
              ? 'the invoice owes nothing'
              : `must not exceed the balance due of ${formatMinor(outstanding, req.currency)} ${req.currency}`,
        },
      ]);
    // the list first, as a payment writes it (folded): an invoice whose payments predate it keeps
    // them counted
    await deps.invoicePayments.write(tenantId, invoiceId, parts, parts.seq);
    await deps.invoicePayments.holdCredit(
      tenantId,
      invoiceId,
      req.credit_note_id,
      req.amount_minor,
    );
    return {
      credit_note_id: req.credit_note_id,
      amount_minor: req.amount_minor,
      outstanding_minor: outstanding - req.amount_minor,
    };
  });
}
