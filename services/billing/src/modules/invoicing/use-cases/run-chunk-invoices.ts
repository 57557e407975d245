import { AppError, type CreateInvoiceRequest } from '@ledgerline/contracts';
import type { Period } from '../domain/invoice-lines';
import type { DetailFact } from '../store/entitlements';
import type { Invoice } from '../store/invoices';
import {
  autoInvoiceId,
  generatedInvoice,
  invoiceOfFacts,
  packagesOf,
  projectedFacts,
  projectionOf,
} from './auto-generate';
import { createInvoices } from './create-invoice';
import type { Caller, InvoiceSource, InvoicingDeps } from './invoices';

/** What became of one entitlement of a billing run's chunk. */
export type RunOutcome = 'generated' | 'skipped' | AppError;

/**
 * A billing run's chunk: the invoices of many entitlements for one period, looked up and created
 * together (one query per kind of fact, one insert; see createInvoices). Each invoice keeps its
 * deterministic id, so a redelivered chunk creates nothing twice. Per entitlement: `generated`
 * when the invoice is this run's, `skipped` when it was made otherwise, or why it cannot be made.
 *
 * Whether an invoice exists already is not read first (one read per entitlement, for an answer
 * that is "no" but after a crash): the insert tells, since an invoice made before holds the same
 * id and refuses the copy (createInvoices then reads which ones are there and numbers only the
 * others). Only an entitlement that cannot be invoiced now is looked up, so that one billed
 * before (say its rows were deleted since) stays counted as billed.
 */
export async function autoGenerateChunk(
  deps: InvoicingDeps,
  caller: Caller,
  chunk: {
    entitlement_ids: string[];
    period: Period;
    issue: boolean;
    runId: string;
    /** Where the rows come from (the run's rows read once); else one query for the chunk's. */
    detailsOf?: (entitlementIds: string[]) => Promise<Map<string, DetailFact[]>>;
    /** The caller is redone until it returns (a chunk command): see createInvoices. */
    publishItself?: boolean;
  },
): Promise<Map<string, RunOutcome>> {
  const { tenantId } = caller;
  const { period, runId } = chunk;
  const outcomes = new Map<string, RunOutcome>();
  const outcomeOf = (invoice: Invoice): RunOutcome =>
    invoice.billing_run_id === runId ? 'generated' : 'skipped';
  const projection = projectionOf(deps);
  const details = chunk.detailsOf
    ? await chunk.detailsOf(chunk.entitlement_ids)
    : await projection.detailsOfEntitlements(tenantId, chunk.entitlement_ids);
  const [pricings, vatRate] = await Promise.all([
    projection.pricingsOfPackages(tenantId, packagesOf([...details.values()].flat())),
    projection.vatRate(tenantId),
  ]);
  const made: {
    entitlementId: string;
    id: string;
    req: CreateInvoiceRequest;
    source: InvoiceSource;
  }[] = [];
  const refused: [string, AppError][] = [];
  for (const entitlementId of chunk.entitlement_ids) {
    try {
      const facts = projectedFacts(entitlementId, details.get(entitlementId)!, pricings, vatRate);
      const found = invoiceOfFacts(entitlementId, facts, period);
      const request = { entitlement_id: entitlementId, issue: chunk.issue };
      made.push({
        entitlementId,
        id: autoInvoiceId(tenantId, entitlementId, period),
        ...generatedInvoice(found, request, period, runId),
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      refused.push([entitlementId, err]);
    }
  }
  const billed = await Promise.all(
    refused.map(([e]) => deps.invoices.findById(tenantId, autoInvoiceId(tenantId, e, period))),
  );
  refused.forEach(([e, err], i) => outcomes.set(e, billed[i] ? outcomeOf(billed[i]) : err));
  const saved = await createInvoices(deps, caller, made, { publishItself: chunk.publishItself });
  saved.forEach((invoice, i) => outcomes.set(made[i]!.entitlementId, outcomeOf(invoice)));
  // in the chunk's order, as the run's errors are listed
  return new Map(chunk.entitlement_ids.map((e) => [e, outcomes.get(e)!]));
}
