import type { Router } from 'express';
import { redisLocks, type ServiceContext } from '@ledgerline/platform';
import type { BillingConfig } from '../config';
import type { InvoicingDeps } from '../use-cases/invoices';
import { creditHandlers } from './events/credit-handlers';
import { creditRoutes as routes } from './routes/credit-routes';
import { creditAccountStore } from './store/credit-accounts';
import { creditPackageStore } from './store/credit-packages';
import { creditPurchaseStore } from './store/credit-purchases';
import { creditTransactionLockKey, creditTransactionStore } from './store/credit-transactions';
import { planCredits } from './store/plan-credits';
import type { CreditsUseCaseDeps } from './use-cases/deps';
import { monthlyGrantSweep } from './use-cases/grants';

/** Prepaid credits (seed 000), credit packages and the platform's invoices to tenants. */
export type CreditsDeps = CreditsUseCaseDeps;

/** How often the worker checks that every tenant got this month's plan credits. */
const MONTHLY_GRANT_SWEEP_MS = 10 * 60_000;

/** `invoicing`: the process's one set of invoice deps (one outbox relay for invoices). */
export function creditsDeps(ctx: ServiceContext, invoicing: InvoicingDeps): CreditsDeps {
  const transactions = creditTransactionStore(ctx.mongo);
  return {
    ledger: {
      accounts: creditAccountStore(ctx.mongo),
      transactions,
      // a burst of one tenant's consumptions queues on its lock: wait longer than the default
      creditLocks: redisLocks(ctx.redis, { waitMs: 60_000 }),
      publishSoon: ctx.outbox([{ model: transactions.model, lockKey: creditTransactionLockKey }]),
    },
    planCredits: planCredits(ctx.mongo, ctx.locks),
    packages: creditPackageStore(ctx.mongo),
    purchases: creditPurchaseStore(ctx.mongo),
    invoicing,
  };
}

/** Mounted at the root behind authentication: full paths /v1/billing/... and /v1/account/usage/... */
export function creditRoutes(deps: CreditsDeps): Router {
  return routes(deps);
}

export async function startCreditsWorker(
  ctx: ServiceContext,
  config: BillingConfig,
  invoicing: InvoicingDeps,
): Promise<void> {
  const deps = creditsDeps(ctx, invoicing);
  await ctx.consume(
    `${config.WORKER_GROUP_ID}-credits`,
    ['billing', 'tenants'],
    creditHandlers(deps, ctx.logger),
  );
  const sweep = () => {
    monthlyGrantSweep(deps, ctx.logger).catch((err) =>
      ctx.logger.warn({ err }, 'monthly credit sweep failed; retrying at the next tick'),
    );
  };
  sweep();
  const timer = setInterval(sweep, MONTHLY_GRANT_SWEEP_MS);
  timer.unref();
  ctx.stops.push(async () => clearInterval(timer));
}
