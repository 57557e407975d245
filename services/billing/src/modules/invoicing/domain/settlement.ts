import type { z } from 'zod';
import { sumMinor, type invoiceStatusSchema } from '@ledgerline/contracts';

export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

/** Statuses in which an invoice has been issued and can take payments. */
export const PAYABLE_STATUSES: readonly InvoiceStatus[] = ['unpaid', 'partial', 'paid'];

/**
 * Seed 002 "Payment Auto-Update": paid when nothing is due, partial when something was paid but
 * something is still due, unpaid when nothing was paid. Drafts and void invoices keep their status.
 * An overpaid invoice (possible only when two payments race past the payments service's check)
 * reads paid with a negative balance due, so the surplus stays visible instead of disappearing.
 */
export function settledStatus(
  current: InvoiceStatus,
  totalMinor: number,
  paidMinor: number,
): InvoiceStatus {
  if (current === 'draft' || current === 'void') return current;
  const balanceDue = sumMinor([totalMinor, -paidMinor]);
  if (balanceDue <= 0) return 'paid';
  return paidMinor > 0 ? 'partial' : 'unpaid';
}

export interface Settlement {
  paid_minor: number;
  balance_due_minor: number;
  status: InvoiceStatus;
}

/**
 * The invoice after `appliedMinor` moved on its paid amount: positive for a payment, negative for
 * a voided payment or a refund. Paid never goes below zero: a reversal larger than what was paid
 * can only come from a bad event, and taking the invoice negative would hide it.
 */
export function settle(
  invoice: {
    status: InvoiceStatus;
    total_minor: number;
    paid_minor: number;
    credited_minor?: number;
  },
  appliedMinor: number,
): Settlement {
  const paid = sumMinor([invoice.paid_minor, appliedMinor]);
  if (paid < 0) {
    throw new RangeError(
      `a change of ${appliedMinor} would take the paid amount ${invoice.paid_minor} below zero`,
    );
  }
  // credit notes lower what is owed, as payments do, without being money received
  const owed = sumMinor([invoice.total_minor, -(invoice.credited_minor ?? 0)]);
  return {
    paid_minor: paid,
    balance_due_minor: sumMinor([owed, -paid]),
    status: settledStatus(invoice.status, owed, paid),
  };
}

/**
 * The invoice after a credit note of `creditMinor` (issue 17): what it owes drops, paid stays. A
 * credit note never exceeds what the invoice owes (the payments service decided it), so the
 * balance never goes below zero through one; an invoice credited to nothing owed reads paid.
 */
export function credit(
  invoice: {
    status: InvoiceStatus;
    total_minor: number;
    paid_minor: number;
    credited_minor?: number;
  },
  creditMinor: number,
): Settlement & { credited_minor: number } {
  const credited = sumMinor([invoice.credited_minor ?? 0, creditMinor]);
  return { ...settle({ ...invoice, credited_minor: credited }, 0), credited_minor: credited };
}

/** The marker of an applied credit note, in applied_payments beside payment ids. */
export const creditNoteMarker = (creditNoteId: string) => `cn:${creditNoteId}`;

/** Markers kept in the invoice's applied_payments beside payment ids: one per reversal applied. */
export const voidMarker = (paymentId: string) => `void:${paymentId}`;
export const refundMarker = (refundId: string) => `refund:${refundId}`;

/** Markers an invoice keeps in its document once older ones are moved out. */
export const APPLIED_KEPT = 32;
/** Markers an invoice holds at most in its document: one more moves the oldest out. */
export const APPLIED_MAX = 64;

/**
 * The invoice's markers once `added` are appended: those its document keeps, and the oldest ones
 * to move out (to the applied-markers collection) when it would hold more than APPLIED_MAX, so
 * that an invoice paid hundreds of times is not read and rewritten whole with every payment's id.
 */
export function withMarkers(
  applied: readonly string[],
  added: readonly string[],
): { kept: string[]; moved: string[] } {
  const all = [...applied, ...added];
  if (all.length <= APPLIED_MAX) return { kept: all, moved: [] };
  const cut = all.length - APPLIED_KEPT;
  return { kept: all.slice(cut), moved: all.slice(0, cut) };
}
