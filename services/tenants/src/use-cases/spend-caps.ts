import { AppError, toMinor } from '@ledgerline/contracts';
import { pricingTerms } from '../domain/plan-pricing';
import { metricsOf } from '../domain/provider-plan';
import type { SpendCap } from '../domain/usage-limits';
import type { PlanVersion } from '../store/provider-plans';
import type { SpendLimit } from '../store/subscriptions';
import type { TenantsDeps } from './deps';

/** Spend caps of subscriptions (issue 18, spend control): set, checked and priced. */

/**
 * A spend limit as asked (`spend_limit` of a grant or a change), checked against the plan version
 * it caps: an amount in the version's currency, on a version with usage charges, none of them on
 * a unique_count metric (what those cost is known only at the period's end, so a cap on them
 * could not be decided when usage arrives). undefined: not asked; null: removed.
 */
export async function spendLimitFor(
  deps: Pick<TenantsDeps, 'providerPlans'>,
  tenantId: string,
  version: PlanVersion,
  asked: string | number | null | undefined,
): Promise<SpendLimit | null | undefined> {
  if (asked === undefined || asked === null) return asked;
  const amount_minor = toMinor(asked, version.currency, 'spend_limit');
  const refuse = (message: string) =>
    AppError.validation('The spend limit cannot apply to this plan', [
      { field: 'spend_limit', message },
    ]);
  if (amount_minor < 0) throw refuse('must not be negative');
  const codes = [...new Set(metricsOf(version))];
  if (codes.length === 0) throw refuse('the plan charges no usage');
  const metrics = await deps.providerPlans.metricsByCode(tenantId, codes);
  const unique = metrics.filter((m) => m.aggregation === 'unique_count').map((m) => m.code);
  if (unique.length > 0)
    throw refuse(
      `usage of unique_count metrics (${unique.join(', ')}) is priced only at the period's end`,
    );
  return { amount_minor, currency: version.currency };
}

/** A subscription's spend cap with its plan version's usage charges, priced as a renewal would. */
export function spendCapOf(version: PlanVersion, limitMinor: number): SpendCap {
  const terms = pricingTerms(version);
  return {
    limit_minor: limitMinor,
    currency: terms.currency,
    charges: terms.charges.filter((c) => c.kind === 'usage'),
  };
}
