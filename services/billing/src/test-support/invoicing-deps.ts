import type { Connection } from 'mongoose';
import { aggregateWriter, planLimits, type AggregateLocks } from '@ledgerline/platform';
import { creditNoteStore } from '../modules/invoicing/store/credit-notes';
import { dunningStore } from '../modules/invoicing/store/dunning';
import { entitlementProjection } from '../modules/invoicing/store/entitlements';
import { invoiceStore } from '../modules/invoicing/store/invoices';
import type { InvoicingDeps } from '../modules/invoicing/use-cases/invoices';

/**
 * Invoicing on a test's real database and locks, for use cases that name no client references
 * (billing runs, subscriptions' invoices): tenants on plans without limits, no relay to wake.
 */
export function realInvoicingDeps(mongo: Connection, locks: AggregateLocks): InvoicingDeps {
  const noReferences = async (): Promise<never> => {
    throw new Error('this use case names no client references');
  };
  return {
    invoices: invoiceStore(mongo),
    aggregates: aggregateWriter({ locks, writes: 'locked', publishSoon: () => undefined }),
    locks,
    // the tenants service's answer for a tenant on a plan without limits
    limits: planLimits(mongo, locks, {
      current: async (tenantId) => ({
        tenant_id: tenantId,
        known: true,
        status: 'active',
        limits: {},
        revision: 1,
      }),
    }),
    defaultCurrency: 'USD',
    publishSoon: () => undefined,
    projection: entitlementProjection(mongo, locks),
    creditNotes: creditNoteStore(mongo),
    dunning: dunningStore(mongo),
    references: { known: noReferences, existing: noReferences },
  };
}
