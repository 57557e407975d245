import { withMarkers } from '../domain/settlement';
import type { AppliedMarkerStore } from '../store/applied-markers';
import type { Invoice } from '../store/invoices';

type MarkedInvoice = Pick<Invoice, '_id' | 'tenant_id' | 'applied_payments' | 'applied_archived'>;

/** Whether the change `marker` names was applied to the invoice: recently, or long ago. */
export async function wasApplied(
  store: AppliedMarkerStore,
  invoice: MarkedInvoice,
  marker: string,
): Promise<boolean> {
  if (invoice.applied_payments.includes(marker)) return true;
  if ((invoice.applied_archived ?? 0) === 0) return false;
  return store.has(invoice.tenant_id, invoice._id, marker);
}

/**
 * The part of an invoice's update that records `markers` as applied, in the same write as the
 * changes themselves. When the document would hold more than APPLIED_MAX markers, the oldest are
 * written to the applied-markers collection first (a retried change writes them again, harmlessly)
 * and the update sets the ones kept; else it pushes the one marker, or sets the list for several.
 */
export async function markApplied(
  store: AppliedMarkerStore,
  invoice: MarkedInvoice,
  markers: readonly string[],
): Promise<{ set?: Partial<Invoice>; push?: { applied_payments: string } }> {
  const { kept, moved } = withMarkers(invoice.applied_payments, markers);
  if (moved.length === 0 && markers.length === 1)
    return { push: { applied_payments: markers[0]! } };
  if (moved.length > 0) await store.archive(invoice.tenant_id, invoice._id, moved);
  return {
    set: {
      applied_payments: kept,
      ...(moved.length > 0 && { applied_archived: (invoice.applied_archived ?? 0) + moved.length }),
    },
  };
}
