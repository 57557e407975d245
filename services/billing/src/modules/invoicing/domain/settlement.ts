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
  invoice: { status: InvoiceStatus; total_minor: number; paid_minor: number },
  appliedMinor: number,
): Settlement {
  const paid = sumMinor([invoice.paid_minor, appliedMinor]);
  if (paid < 0) {
    throw new RangeError(
      `a change of ${appliedMinor} would take the paid amount ${invoice.paid_minor} below zero`,
    );
  }
  return {
    paid_minor: paid,
    balance_due_minor: sumMinor([invoice.total_minor, -paid]),
    status: settledStatus(invoice.status, invoice.total_minor, paid),
  };
}

/** Markers kept in the invoice's applied_payments beside payment ids: one per reversal applied. */
export const voidMarker = (paymentId: string) => `void:${paymentId}`;
export const refundMarker = (refundId: string) => `refund:${refundId}`;
