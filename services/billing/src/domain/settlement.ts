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
