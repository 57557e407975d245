import { z } from 'zod';
import { eventV1 } from './events-define';

/**
 * Billing runs: the API splits a run into chunks of entitlements and sends each chunk as a
 * command to the billing workers (one consumer group, so two workers share the chunks). A chunk
 * is redelivered until a worker has recorded it in its run, which makes it safe to kill a worker
 * mid-run.
 */
const isoDate = z.iso.date();

const billingRunChunk = z.object({
  run_id: z.string().min(1),
  /** Unique within the run: the run records each chunk id once, whatever the redeliveries. */
  chunk_id: z.string().min(1),
  entitlement_ids: z.array(z.string().min(1)).min(1),
  period_start: isoDate,
  period_end: isoDate,
  /** Issue the generated invoices (gapless numbers) instead of leaving drafts. */
  issue: z.boolean(),
  requested_by: z.string().nullable(),
});
export type BillingRunChunkData = z.infer<typeof billingRunChunk>;

export const BILLING_RUN_EVENTS = {
  // keyed by chunk: the chunks of one run spread over the partitions, hence over the workers
  BillingRunChunkRequested: eventV1('billing', billingRunChunk, (d) => d.chunk_id),
} as const;
