import { isDuplicateKeyError, type AggregateLocks } from '@ledgerline/platform';
import type { InvoiceStore } from '../store/invoices';

export function formatInvoiceNumber(seq: number): string {
  return `INV-${String(seq).padStart(6, '0')}`;
}

/**
 * Gapless, sequential invoice numbers per tenant. Under the tenant's numbering lock the next
 * number is written onto the invoice first and only then recorded as used, so a failed write
 * leaves no gap; if a crash left the counter behind, the unique index refuses the reused number
 * and the counter is repaired from the highest number on an invoice.
 */
export async function withNextInvoiceNumber<T>(
  deps: { invoices: InvoiceStore; locks: AggregateLocks },
  tenantId: string,
  write: (seq: number, number: string) => Promise<T>,
): Promise<T> {
  return deps.locks.withLock(numberingLockKey(tenantId), async () => {
    for (let attempt = 0; ; attempt++) {
      const seq = (await deps.invoices.lastNumber(tenantId)) + 1;
      try {
        const result = await write(seq, formatInvoiceNumber(seq));
        await deps.invoices.setLastNumber(tenantId, seq);
        return result;
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        await repairLastNumber(deps.invoices, tenantId);
      }
    }
  });
}

/** Whoever hands out a tenant's invoice numbers holds this lock. */
export function numberingLockKey(tenantId: string): string {
  return `invoice-number:${tenantId}`;
}

/** After a crash between an invoice write and the counter write: the counter follows the invoices. */
export async function repairLastNumber(invoices: InvoiceStore, tenantId: string): Promise<void> {
  await invoices.setLastNumber(tenantId, await invoices.highestNumberUsed(tenantId));
}
