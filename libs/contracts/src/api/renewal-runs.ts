import { z } from 'zod';
import { auditFields } from './common';
import { component } from '../component';

/**
 * A provider's renewal run (issue 18): every live subscription of the provider whose period ended
 * by the run's cutoff renewed on demand, by the tenants service in the background.
 */
export const RENEWAL_RUN_STATUSES = [
  'queued',
  'running',
  'completed',
  'completed_with_errors',
] as const;
export type RenewalRunStatus = (typeof RENEWAL_RUN_STATUSES)[number];

/** Nothing to choose yet: the cutoff is the sweep's own rule. Unknown fields are refused (422). */
export const startRenewalRunRequest = component('RenewalRunStart', z.object({}).strict());
export type StartRenewalRunRequest = z.infer<typeof startRenewalRunRequest>;

export const renewalRunView = component(
  'RenewalRun',
  z.object({
    id: z.string(),
    status: z.enum(RENEWAL_RUN_STATUSES),
    /** Periods that ended at or before it are renewed: the start's time less the usage grace. */
    cutoff: z.string(),
    /** Live subscriptions the run has examined so far (in pages by id). */
    subscriptions_done: z.number(),
    /** Of those, the ones whose period had ended by the cutoff. */
    due: z.number(),
    /** Boundaries this run invoiced or ended (a subscription several periods behind counts each). */
    renewed: z.number(),
    /** Due subscriptions whose renewal failed (the sweep retries them); see `errors`. */
    failed: z.number(),
    errors: z.array(z.object({ subscription_id: z.string(), message: z.string() })),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    ...auditFields,
  }),
);
export type RenewalRunView = z.infer<typeof renewalRunView>;
