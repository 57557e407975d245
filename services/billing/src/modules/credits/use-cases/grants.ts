import type { Logger } from '@ledgerline/platform';
import { monthKey } from '../domain/credit-math';
import { recordCreditChange } from './credit-usage';
import type { CreditsUseCaseDeps } from './deps';

/**
 * The plan's monthly credits (`limits.credits`), granted once per tenant and calendar month (UTC):
 * the grant's idempotency key is the month, so the subscription event, the plan event and the
 * sweep can all ask for it. Yearly plans get their credits monthly too, from the sweep; a plan
 * change later in a month does not top up the month already granted. Credits do not expire.
 */
export async function grantMonthlyCredits(
  deps: CreditsUseCaseDeps,
  tenantId: string,
  credits: number,
  at: Date,
  correlationId?: string,
): Promise<boolean> {
  if (credits <= 0) return false;
  const month = monthKey(at);
  const result = await recordCreditChange(deps.usage, {
    tenantId,
    transactionType: 'grant',
    amount: credits,
    description: `Monthly plan credits ${month}`,
    idemKey: `monthly:${month}`,
    correlationId,
  });
  return !result.duplicate;
}

/** Grants this month's credits to every tenant whose plan has them (idempotent; any replica). */
export async function monthlyGrantSweep(
  deps: CreditsUseCaseDeps,
  logger: Logger,
  now = new Date(),
): Promise<number> {
  let granted = 0;
  for (const { tenantId, credits } of await deps.planCredits.granted()) {
    try {
      if (await grantMonthlyCredits(deps, tenantId, credits, now)) granted += 1;
    } catch (err) {
      logger.warn(
        { err, tenant_id: tenantId },
        'monthly credit grant failed; the next sweep retries',
      );
    }
  }
  if (granted > 0) logger.info({ granted, month: monthKey(now) }, 'monthly credits granted');
  return granted;
}
