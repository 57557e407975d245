import type { Logger } from '@ledgerline/platform';
import type { PaymentsDeps } from './deps';

/** Lists written at once while completing them. */
const AT_ONCE = 16;

/**
 * Once per database, before the service answers: every invoice whose payments were recorded
 * before invoice_payments existed gets its list, then a marker says that all invoices have theirs.
 * From then on an invoice without a list has no payments, and its first payment reads nothing
 * more. Before, that payment looked the invoice's payments up by invoice id, which FerretDB's
 * SQLite backend answers by reading every payment of every tenant: with 1,000 invoices paid in
 * turn at 50/s that was 55 ms of FerretDB CPU per payment, and 1,732 of 3,000 POSTs timed out
 * (docs/benchmarks.md, Issue 19, eleventh pass).
 *
 * Safe beside running decisions: until the marker is there, a process still looks an invoice
 * without a list up by invoice id, and a list written here never replaces one a decision wrote.
 */
export async function completeInvoiceLists(
  deps: Pick<PaymentsDeps, 'payments' | 'invoicePayments'>,
  logger: Logger,
): Promise<void> {
  const lists = deps.invoicePayments;
  if (await lists.listsComplete()) return;
  const byInvoice = new Map<string, { tenantId: string; invoiceId: string; ids: string[] }>();
  for await (const p of deps.payments.allOnInvoices()) {
    const id = lists.idOf(p.tenant_id, p.invoice_id);
    const entry = byInvoice.get(id) ?? { tenantId: p.tenant_id, invoiceId: p.invoice_id, ids: [] };
    entry.ids.push(p._id);
    byInvoice.set(id, entry);
  }
  const entries = [...byInvoice.values()];
  let written = 0;
  for (let i = 0; i < entries.length; i += AT_ONCE) {
    const chunk = entries.slice(i, i + AT_ONCE);
    const upserted = await Promise.all(
      chunk.map((m) => lists.listOlder(m.tenantId, m.invoiceId, m.ids)),
    );
    written += upserted.filter(Boolean).length;
  }
  await lists.markListsComplete();
  logger.info({ invoices: entries.length, written }, 'invoice payment lists complete');
}
