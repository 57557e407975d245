import { Schema, type Connection } from 'mongoose';
import { insertNew, modelOf } from '@ledgerline/platform';

/** One change applied to an invoice long ago (a payment id, `void:`, `refund:` or `cn:` marker). */
interface AppliedMarker {
  /** `<tenant>:<invoice>:<marker>`: found by id, the one lookup FerretDB's SQLite backend indexes. */
  _id: string;
  tenant_id: string;
  invoice_id: string;
}

const appliedMarkerSchema = new Schema<AppliedMarker>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    invoice_id: { type: String, required: true },
  },
  { collection: 'invoice_applied_markers', versionKey: false },
);

/**
 * The markers an invoice moved out of its document (domain/settlement.ts, withMarker): an invoice
 * keeps its recent markers in `applied_payments` and counts the moved ones in `applied_archived`;
 * a change not among the recent ones is looked up here only on an invoice that moved some out.
 * Markers are written here before the document drops them, so each is always in one or the other.
 */
export function appliedMarkerStore(connection: Connection) {
  const model = modelOf<AppliedMarker>(connection, 'InvoiceAppliedMarker', appliedMarkerSchema);
  const idOf = (tenantId: string, invoiceId: string, marker: string) =>
    `${tenantId}:${invoiceId}:${marker}`;
  return {
    async has(tenantId: string, invoiceId: string, marker: string): Promise<boolean> {
      const found = await model
        .findOne({ _id: idOf(tenantId, invoiceId, marker) }, { _id: 1 })
        .lean()
        .exec();
      return found !== null;
    },
    /** Writes the markers; those already here (a change tried again) stay as they are. */
    async archive(tenantId: string, invoiceId: string, markers: readonly string[]): Promise<void> {
      await insertNew(
        model,
        markers.map((marker) => ({
          _id: idOf(tenantId, invoiceId, marker),
          tenant_id: tenantId,
          invoice_id: invoiceId,
        })),
      );
    },
    async deleteTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}

export type AppliedMarkerStore = ReturnType<typeof appliedMarkerStore>;
