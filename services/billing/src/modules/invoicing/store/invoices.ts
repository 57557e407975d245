import type { Connection } from 'mongoose';
import type { EventEnvelope, ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  modelOf,
  outboxOnUpdate,
  publishedByWriter,
  searchClause,
  withoutOutbox,
  type SearchQuery,
} from '@ledgerline/platform';
import { appliedMarkerStore } from './applied-markers';
import { storedInvoice } from './invoice-document';
import { storedNumberSeries } from './number-series';
import {
  counterSchema,
  invoiceSchema,
  VIEW_FIELDS,
  type Invoice,
  type InvoiceDoc,
  type InvoiceViewSource,
  type NewInvoice,
} from './invoice-schema';

export type { Invoice, InvoiceLine, InvoiceViewSource, NewInvoice } from './invoice-schema';

/** What an invoice search reads (seed 002 searches invoices by bill number). */
export const INVOICE_SEARCH = ['invoice_number', 'bill_number', 'status', 'remarks'] as const;

const SORTABLE = new Set(['created_at', 'issue_date', 'invoice_number', 'status', 'total_minor']);

const VIEW_PROJECTION = Object.fromEntries(VIEW_FIELDS.map((f) => [f, 1]));

function plain(doc: InvoiceDoc | null): Invoice | null {
  return doc && withoutOutbox(doc);
}

/** Every query takes the tenant id: there is no way to read an invoice without naming its tenant. */
export function invoiceStore(connection: Connection) {
  const model = modelOf<InvoiceDoc>(connection, 'Invoice', invoiceSchema);
  const counters = modelOf(connection, 'Counter', counterSchema);
  const applied = appliedMarkerStore(connection);

  return {
    model,
    /** Changes applied to invoices long ago, moved out of their documents. */
    applied,
    /** Its lock key is invoiceLockKey's: checkout still takes it by hand. */
    aggregate: defineAggregate({ name: 'invoice', label: 'Invoice', model }),

    /** The invoice numbers' series (numbering.ts), counter `<tenant>:invoice`. */
    ...storedNumberSeries(counters, model, 'invoice'),

    /** Written as `storedInvoice` builds it (as insertMany below): no mongoose document. */
    async insert(invoice: NewInvoice, events: EventEnvelope[]): Promise<Invoice> {
      const doc = storedInvoice(invoice, events, new Date());
      await model.collection.insertOne(doc as never);
      return plain(doc as unknown as InvoiceDoc) as Invoice;
    },

    /**
     * Inserts invoices in order, each with its events, stopping at the first refusal (a duplicate
     * id or number): the ones before it are in, the rest are not. The documents are written as
     * built (`lean`: no mongoose document per invoice, which cost a billing run more CPU than the
     * store's insert): `storedInvoice` gives every field of the schema, so nothing is left to cast
     * or default. `publishedByWriter`: the caller publishes the events itself (no outbox to clear,
     * which cost the store one update per invoice); see `publishedOnInsert` for a redo.
     */
    async insertMany(
      invoices: { invoice: NewInvoice; events: EventEnvelope[] }[],
      opts: { publishedByWriter?: boolean } = {},
    ): Promise<void> {
      if (invoices.length === 0) return;
      const now = new Date();
      const eventFields = opts.publishedByWriter ? publishedByWriter : undefined;
      await model.insertMany(
        invoices.map(({ invoice, events }) => storedInvoice(invoice, events, now, eventFields)),
        { ordered: true, lean: true },
      );
    },

    /**
     * The events these invoices were inserted with when their writer published them itself (read
     * by id, for a redone block that finds them made: it publishes them again, same ids).
     */
    async publishedOnInsert(tenantId: string, ids: readonly string[]): Promise<EventEnvelope[]> {
      const docs = await Promise.all(
        ids.map((id) =>
          model
            .findOne({ _id: id as never, tenant_id: tenantId }, { _published_on_insert: 1 })
            .lean<Pick<InvoiceDoc, '_published_on_insert'>>(),
        ),
      );
      return docs.flatMap((doc) => doc?._published_on_insert ?? []);
    },

    /** Every invoice of the tenant, drafts included: what the plan's `invoices` limit counts. */
    async countAll(tenantId: string): Promise<number> {
      return model.countDocuments({ tenant_id: tenantId });
    },

    async findById(tenantId: string, id: string): Promise<Invoice | null> {
      return plain(
        await model.findOne({ _id: id as never, tenant_id: tenantId }).lean<InvoiceDoc>(),
      );
    },

    /**
     * One invoice as the API shows it, for reads that change nothing: only the fields the view
     * needs (never the outbox's events or the applied-payment ids), straight from the driver
     * (no query casting, no document), since the filter is two strings already. One `find`
     * command of at most one document: the driver's `findOne` builds, drains and closes a cursor
     * around the same command, which cost more than the command on this hot read.
     */
    async findViewById(tenantId: string, id: string): Promise<InvoiceViewSource | null> {
      const answer = await model.db.db!.command({
        find: model.collection.collectionName,
        filter: { _id: id, tenant_id: tenantId },
        projection: VIEW_PROJECTION,
        limit: 1,
        singleBatch: true,
      });
      return (answer.cursor as { firstBatch: InvoiceViewSource[] }).firstBatch[0] ?? null;
    },

    async findByLineId(tenantId: string, lineId: string): Promise<Invoice | null> {
      return plain(
        await model.findOne({ tenant_id: tenantId, 'details.id': lineId }).lean<InvoiceDoc>(),
      );
    },

    /** A customer's issued (not draft, not void) invoices in a date window, newest first. */
    async customerBills(
      tenantId: string,
      customerId: string,
      window: { start?: string; end?: string; search?: SearchQuery } = {},
    ): Promise<Invoice[]> {
      const filter: Record<string, unknown> = {
        tenant_id: tenantId,
        customer_id: customerId,
        status: { $nin: ['draft', 'void'] },
        ...(window.search && searchClause(window.search, INVOICE_SEARCH)),
      };
      if (window.start || window.end) {
        filter.issue_date = {
          ...(window.start && { $gte: window.start }),
          ...(window.end && { $lte: window.end }),
        };
      }
      return model
        .find(filter, { _outbox: 0, _outbox_pending: 0 })
        .sort({ issue_date: -1, created_at: -1, _id: -1 })
        .lean<Invoice[]>();
    },

    /**
     * Invoices issued (not draft, not void) in a date window, optionally of one customer, newest
     * first: seed 002's invoice history.
     */
    async history(
      tenantId: string,
      filter: { customerId?: string; start?: string; end?: string; search?: SearchQuery },
    ): Promise<Invoice[]> {
      if (filter.customerId) return this.customerBills(tenantId, filter.customerId, filter);
      const query: Record<string, unknown> = {
        tenant_id: tenantId,
        status: { $nin: ['draft', 'void'] },
        ...(filter.search && searchClause(filter.search, INVOICE_SEARCH)),
      };
      if (filter.start || filter.end) {
        query.issue_date = {
          ...(filter.start && { $gte: filter.start }),
          ...(filter.end && { $lte: filter.end }),
        };
      }
      return model
        .find(query, { _outbox: 0, _outbox_pending: 0 })
        .sort({ issue_date: -1, created_at: -1, _id: -1 })
        .lean<Invoice[]>();
    },

    /** Removes a draft (callers hold its lock and checked it is a draft at `version`). */
    async deleteDraft(tenantId: string, id: string, version: number): Promise<boolean> {
      const result = await model.deleteOne({
        _id: id,
        tenant_id: tenantId,
        status: 'draft',
        version,
      });
      return result.deletedCount === 1;
    },

    /** An entitlement's invoices that bill a period (void ones too): what auto_generate skips. */
    async billedPeriodsOf(tenantId: string, entitlementId: string): Promise<Invoice[]> {
      return model
        .find(
          {
            tenant_id: tenantId,
            customer_entitlement_master_id: entitlementId,
            period_start: { $ne: null },
          },
          { _outbox: 0, _outbox_pending: 0 },
        )
        .lean<Invoice[]>();
    },

    /** A deleted tenant's invoices and number counter (the platform's invoices to it stay). */
    async deleteTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
      await counters.deleteMany({ tenant_id: tenantId });
      await applied.deleteTenant(tenantId);
    },

    /** Invoices a billing run created, and their numbers: what a run's check reads. */
    async countByRun(tenantId: string, runId: string): Promise<number> {
      return model.countDocuments({ tenant_id: tenantId, billing_run_id: runId });
    },

    async list(tenantId: string, query: ListQuery): Promise<{ results: Invoice[]; count: number }> {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      const f = query.filters;
      if (f.customer_id) filter.customer_id = f.customer_id;
      if (f.status) filter.status = f.status;
      if (query.startDate || query.endDate) {
        filter.issue_date = {
          ...(query.startDate && { $gte: query.startDate.toISOString().slice(0, 10) }),
          ...(query.endDate && { $lte: query.endDate.toISOString().slice(0, 10) }),
        };
      }
      if (f.customer_entitlement_master_id)
        filter.customer_entitlement_master_id = f.customer_entitlement_master_id;
      if (f.billing_run_id) filter.billing_run_id = f.billing_run_id;
      Object.assign(filter, searchClause(query, INVOICE_SEARCH));
      const sort: Record<string, 1 | -1> = {};
      for (const key of query.sort) {
        const field = key.field === 'total_bill_amount' ? 'total_minor' : key.field;
        if (SORTABLE.has(field)) sort[field] = key.direction;
      }
      sort._id = sort.created_at ?? -1;
      const order: Record<string, 1 | -1> =
        Object.keys(sort).length > 1 ? sort : { created_at: -1, _id: -1 };
      return findPage<Invoice>(model, filter, order, query);
    },

    /**
     * Replaces the computed parts of an invoice if nobody changed it since `expectedVersion`,
     * appending events to its outbox in the same write. `guard` adds conditions (e.g. a payment
     * not yet applied). Answers false when the condition no longer holds.
     */
    async updateIfVersion(
      tenantId: string,
      id: string,
      expectedVersion: number,
      changes: {
        set: Partial<Invoice>;
        push?: Record<string, unknown>;
        guard?: Record<string, unknown>;
        updatedBy?: string | null;
      },
      events: EventEnvelope[],
    ): Promise<boolean> {
      const outbox = outboxOnUpdate(events);
      const result = await model.updateOne(
        { _id: id, tenant_id: tenantId, version: expectedVersion, ...changes.guard },
        {
          $set: {
            ...changes.set,
            ...(events.length > 0 ? outbox.$set : {}),
            ...(changes.updatedBy !== undefined && { updated_by: changes.updatedBy }),
          },
          $inc: { version: 1 },
          ...((changes.push || events.length > 0) && {
            $push: { ...changes.push, ...(events.length > 0 ? outbox.$push : {}) },
          }),
        },
      );
      return result.modifiedCount === 1;
    },
  };
}

export type InvoiceStore = ReturnType<typeof invoiceStore>;
