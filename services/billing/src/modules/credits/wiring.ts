import type { Router } from 'express';
import {
  everyInterval,
  redisLocks,
  type AggregateWriter,
  type EventHandlers,
  type ServiceContext,
} from '@ledgerline/platform';
import type { BillingConfig } from '../../config';
import { creditHandlers } from './events/credit-handlers';
import { creditRoutes as routes } from './routes/credit-routes';
import { creditAccountStore } from './store/credit-accounts';
import { creditPackageStore } from './store/credit-packages';
import { creditPurchaseStore } from './store/credit-purchases';
import { creditTransactionLockKey, creditTransactionStore } from './store/credit-transactions';
import { planCredits } from './store/plan-credits';
import type { CreditsUseCaseDeps } from './use-cases/deps';
import { monthlyGrantSweep } from './use-cases/grants';

/** Prepaid credits (seed 000) and credit packages. */
export type CreditsDeps = CreditsUseCaseDeps;

/** How often the worker checks that every tenant got this month's plan credits. */
const MONTHLY_GRANT_SWEEP_MS = 10 * 60_000;

/** `aggregates`: the process's one aggregate writer (credit packages change through it). */
export function creditsDeps(ctx: ServiceContext, aggregates: AggregateWriter): CreditsDeps {
  const transactions = creditTransactionStore(ctx.mongo);
  return {
    usage: {
      accounts: creditAccountStore(ctx.mongo),
      transactions,
      // a burst of one tenant's consumptions queues on its lock: wait longer than the default
      creditLocks: redisLocks(ctx.redis, { waitMs: 60_000 }),
      publishSoon: ctx.outbox([{ model: transactions.model, lockKey: creditTransactionLockKey }]),
    },
    planCredits: planCredits(ctx.mongo, ctx.locks),
    packages: creditPackageStore(ctx.mongo),
    purchases: creditPurchaseStore(ctx.mongo),
    aggregates,
  };
}

/** Mounted at the root behind authentication: full paths /v1/billing/... and /v1/account/usage/... */
export function creditRoutes(deps: CreditsDeps): Router {
  return routes(deps);
}

/**
 * The credits consumer group. `flowHandlers`: the flows that run in this group (a plan period's
 * invoice and credits), so they follow its plan changes in order.
 */
export async function startCreditsWorker(
  ctx: ServiceContext,
  config: BillingConfig,
  deps: CreditsDeps,
  flowHandlers: EventHandlers,
): Promise<void> {
  await ctx.consume(
    `${config.WORKER_GROUP_ID}-credits`,
    ['billing', 'tenants'],
    {
      ...creditHandlers(deps, ctx.logger),
      ...flowHandlers,
    },
    { batched: true },
  );
  ctx.stops.push(
    everyInterval(MONTHLY_GRANT_SWEEP_MS, () => monthlyGrantSweep(deps, ctx.logger), {
      logger: ctx.logger,
      failure: 'monthly credit sweep failed; retrying at the next tick',
      runNow: true,
    }),
  );
}
