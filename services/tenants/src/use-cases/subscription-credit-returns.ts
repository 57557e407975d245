import type { EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound, type AggregateWriter, type Logger } from '@ledgerline/platform';
import type { SpendLimit, Subscription, SubscriptionStore } from '../store/subscriptions';
import type { TenantsDeps } from './deps';
import { planVersionOf } from './plan-versions';

/**
 * A credit returned to a provider subscription's balance (issue 18). Each invoice of the
 * subscription takes part of its `credit_balance`, which billing turns into a credit note; when the
 * payments service refuses that note's hold (the invoice was paid in full meanwhile), billing
 * announces SubscriptionCreditReturned and the amount goes back on the balance here, so the next
 * invoice takes it: the subscriber's credit is never lost.
 */

/** How many returned credit note ids a subscription remembers (redeliveries come soon after). */
export const CREDIT_RETURNS_KEPT = 50;

export interface ReturnedCredit {
  credit_note_id: string;
  amount_minor: number;
  currency: string;
}

export type CreditReturnDecision =
  | { kind: 'add'; credit_balance: SpendLimit; credit_returns: string[] }
  /** This note's amount was returned before: a redelivery adds nothing. */
  | { kind: 'seen' }
  /** Not in the plan's currency (nor the balance's): never added, logged. */
  | { kind: 'other_currency' };

/**
 * Pure: the balance with the returned amount added (a null balance starts at it), and the note
 * remembered among the latest CREDIT_RETURNS_KEPT, or why nothing changes.
 */
export function decideCreditReturn(
  s: Pick<Subscription, 'credit_balance' | 'credit_returns'>,
  planCurrency: string,
  returned: ReturnedCredit,
): CreditReturnDecision {
  const seen = s.credit_returns ?? [];
  if (seen.includes(returned.credit_note_id)) return { kind: 'seen' };
  const balance = s.credit_balance ?? null;
  if (
    returned.currency !== planCurrency ||
    (balance !== null && balance.currency !== returned.currency)
  )
    return { kind: 'other_currency' };
  return {
    kind: 'add',
    credit_balance: {
      amount_minor: (balance?.amount_minor ?? 0) + returned.amount_minor,
      currency: returned.currency,
    },
    credit_returns: [...seen, returned.credit_note_id].slice(-CREDIT_RETURNS_KEPT),
  };
}

interface Deps {
  subscriptions: Pick<SubscriptionStore, 'aggregate'>;
  providerPlans: TenantsDeps['providerPlans'];
  aggregates: AggregateWriter;
  logger: Pick<Logger, 'warn'>;
}

/**
 * SubscriptionCreditReturned: in one write on the subscription (the event's tenant is the
 * provider), the amount added to its balance and the note remembered; an ended subscription keeps
 * the balance too (no refunds), and a subscription gone (its provider deleted) is skipped.
 */
export async function returnCreditToBalance(
  deps: Deps,
  event: EventEnvelope<'SubscriptionCreditReturned'>,
): Promise<void> {
  const d = event.data;
  await deps.aggregates
    .change<Subscription>(
      deps.subscriptions.aggregate,
      { id: d.subscription_id, tenantId: event.tenant_id },
      async (s) => {
        const plan = await planVersionOf(deps, s.tenant_id, s.plan_id, s.plan_version);
        const decision = decideCreditReturn(
          s,
          plan?.currency ?? s.credit_balance?.currency ?? '',
          d,
        );
        if (decision.kind === 'seen') return undefined;
        if (decision.kind === 'other_currency') {
          deps.logger.warn(
            {
              subscription_id: s._id,
              credit_note_id: d.credit_note_id,
              currency: d.currency,
              plan_currency: plan?.currency ?? null,
            },
            'returned credit not added: another currency than the subscription',
          );
          return undefined;
        }
        return {
          set: {
            credit_balance: decision.credit_balance,
            credit_returns: decision.credit_returns,
            updated_by: 'system:credit-returns',
          },
        };
      },
    )
    .catch(ignoreNotFound);
}
