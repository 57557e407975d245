import { z } from 'zod';
import { eventV1 } from './events-define';
import { currencySchema } from './money';

/**
 * Dunning (issue 17): an issued invoice that is not paid by its due date is chased on the tenant's
 * schedule. Each step is recorded on the invoice and published once, keyed by invoice.
 */
const DUNNING_ACTIONS = ['none', 'suspend_entitlements', 'suspend_subscription'] as const;

const dunningSubject = {
  invoice_id: z.string().min(1),
  invoice_number: z.string().nullable(),
  customer_id: z.string().nullable(),
  currency: currencySchema,
  balance_due_minor: z.number().int(),
  due_date: z.string(),
  /** The provider subscription the invoice bills (issue 18): tenants makes it past_due. */
  subscription_id: z.string().nullable().default(null),
};

export const DUNNING_EVENTS = {
  /** The invoice's due date has passed with money still owed: it is overdue from now on. */
  InvoiceOverdue: eventV1(
    'billing',
    z.object({ ...dunningSubject, overdue_at: z.string() }),
    (d) => d.invoice_id,
  ),
  /**
   * A step of the tenant's dunning policy: a reminder (days from the due date, negative before
   * it) or the final action after the last reminder. Notifications (webhooks, e-mail) use it; a
   * final action other than `none` is carried out by the service that owns what it suspends.
   */
  InvoiceDunningStep: eventV1(
    'billing',
    z.object({
      ...dunningSubject,
      step: z.enum(['reminder', 'final_action']),
      offset_days: z.number().int(),
      action: z.enum(DUNNING_ACTIONS).nullable(),
    }),
    (d) => d.invoice_id,
  ),
} as const;
export { DUNNING_ACTIONS };
