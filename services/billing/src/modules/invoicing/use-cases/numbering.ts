import { isDuplicateKeyError, type AggregateLocks } from '@ledgerline/platform';

/** One gapless series of numbers per tenant: its counter and the documents that carry them. */
export interface NumberSeries {
  /** The last number handed out (0 before the first); read under the series' lock. */
  lastNumber(tenantId: string): Promise<number>;
  setLastNumber(tenantId: string, seq: number): Promise<void>;
  /** The highest number a document carries: repairs the counter after a crash between writes. */
  highestNumberUsed(tenantId: string): Promise<number>;
}

export function formatInvoiceNumber(seq: number): string {
  return `INV-${String(seq).padStart(6, '0')}`;
}

export function formatCreditNoteNumber(seq: number): string {
  return `CN-${String(seq).padStart(6, '0')}`;
}

/**
 * Gapless, sequential numbers per tenant in one series. Under the series' lock the next number is
 * written onto the document first and only then recorded as used, so a failed write leaves no
 * gap; if a crash left the counter behind, the unique index refuses the reused number and the
 * counter is repaired from the highest number on a document.
 */
export async function withNextNumber<T>(
  locks: AggregateLocks,
  series: NumberSeries & { lockKey(tenantId: string): string; format(seq: number): string },
  tenantId: string,
  write: (seq: number, number: string) => Promise<T>,
): Promise<T> {
  return locks.withLock(series.lockKey(tenantId), async () => {
    for (let attempt = 0; ; attempt++) {
      const seq = (await series.lastNumber(tenantId)) + 1;
      try {
        const result = await write(seq, series.format(seq));
        await series.setLastNumber(tenantId, seq);
        return result;
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        await repairLastNumber(series, tenantId);
      }
    }
  });
}

/** The tenant's invoice numbers (INV-000001...). */
export function withNextInvoiceNumber<T>(
  deps: { invoices: NumberSeries; locks: AggregateLocks },
  tenantId: string,
  write: (seq: number, number: string) => Promise<T>,
): Promise<T> {
  return withNextNumber(
    deps.locks,
    { ...bind(deps.invoices), lockKey: numberingLockKey, format: formatInvoiceNumber },
    tenantId,
    write,
  );
}

/** The tenant's credit note numbers (CN-000001...), a series of their own. */
export function withNextCreditNoteNumber<T>(
  deps: { series: NumberSeries; locks: AggregateLocks },
  tenantId: string,
  write: (seq: number, number: string) => Promise<T>,
): Promise<T> {
  return withNextNumber(
    deps.locks,
    {
      ...bind(deps.series),
      lockKey: (t) => `credit-note-number:${t}`,
      format: formatCreditNoteNumber,
    },
    tenantId,
    write,
  );
}

const bind = (s: NumberSeries): NumberSeries => ({
  lastNumber: (t) => s.lastNumber(t),
  setLastNumber: (t, seq) => s.setLastNumber(t, seq),
  highestNumberUsed: (t) => s.highestNumberUsed(t),
});

/** Whoever hands out a tenant's invoice numbers holds this lock. */
export function numberingLockKey(tenantId: string): string {
  return `invoice-number:${tenantId}`;
}

/** After a crash between a document write and the counter write: the counter follows the documents. */
export async function repairLastNumber(series: NumberSeries, tenantId: string): Promise<void> {
  await series.setLastNumber(tenantId, await series.highestNumberUsed(tenantId));
}
