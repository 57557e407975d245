import { z } from 'zod';
import { DUNNING_ACTIONS } from '../events-dunning';
import { component } from '../component';

/**
 * A tenant's dunning policy (issue 17): reminders at offsets in days from an invoice's due date
 * (negative: before it), and a final action some days after it. The invoice becomes overdue the
 * day after its due date whatever the policy.
 */
export const dunningPolicyRequest = component(
  'DunningPolicyUpdate',
  z.object({
    reminder_offsets_days: z
      .array(z.number().int().min(-60).max(365))
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'offsets must be distinct'),
    final_action: z.enum(DUNNING_ACTIONS),
    /** Days after the due date; required unless final_action is none. */
    final_action_after_days: z.number().int().min(1).max(365).nullable().optional(),
  }),
);
export type DunningPolicyRequest = z.infer<typeof dunningPolicyRequest>;

export const dunningPolicyView = component(
  'DunningPolicy',
  z.object({
    reminder_offsets_days: z.array(z.number().int()),
    final_action: z.enum(DUNNING_ACTIONS),
    final_action_after_days: z.number().int().nullable(),
    /** false: the default policy (no PUT yet). */
    custom: z.boolean(),
    updated_at: z.string().nullable(),
  }),
);
export type DunningPolicyView = z.infer<typeof dunningPolicyView>;

/** One step of an invoice's dunning history, as its GET shows it. */
export const dunningStepView = z.object({
  step: z.enum(['reminder', 'overdue', 'final_action']),
  offset_days: z.number().int(),
  action: z.enum(DUNNING_ACTIONS).nullable(),
  /** When the step was taken; a reminder missed because a later one was due is `skipped`. */
  at: z.string(),
  skipped: z.boolean(),
});
