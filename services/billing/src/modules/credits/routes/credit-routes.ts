import { Router } from 'express';
import { CREDIT_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import {
  consumeCredits,
  creditAnalytics,
  creditBalance,
  listTransactions,
  listUsage,
} from '../use-cases/credits';
import type { CreditsUseCaseDeps } from '../use-cases/deps';
import {
  createCreditPackage,
  getCreditPackage,
  listCreditPackages,
  updateCreditPackage,
} from '../use-cases/packages';
import { packageView, transactionView, usageView } from '../views';

/**
 * Seed 000: /v1/billing/credits/..., transactions, credit packages; /v1/account/usage/. A package's
 * purchase and the platform's invoices are flows (src/flows).
 */
export function creditRoutes(deps: CreditsUseCaseDeps): Router {
  const router = Router();

  for (const spec of [R.balance, R.balanceAlias]) {
    bindRoute(router, spec, async ({ caller }) => ({ data: await creditBalance(deps, caller) }));
  }

  bindRoute(router, R.transactions, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listTransactions(deps, caller, q);
    return { data: pageOf(q, { results: results.map(transactionView), count }) };
  });

  bindRoute(router, R.usage, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listUsage(deps, caller, q);
    return { data: pageOf(q, { results: results.map(usageView), count }) };
  });

  bindRoute(router, R.consume, async ({ caller, body, idempotencyKey }) => {
    const result = await consumeCredits(deps, caller, body, idempotencyKey);
    return {
      data: { transaction: transactionView(result.transaction), balance: result.balance },
      message: `${-result.transaction.amount} credits used`,
    };
  });

  bindRoute(router, R.usageAnalytics, async ({ caller, query }) => ({
    data: await creditAnalytics(deps, caller, query.days),
  }));

  bindRoute(router, R.packages, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listCreditPackages(deps, caller, q);
    return { data: pageOf(q, { results: results.map(packageView), count }) };
  });
  bindRoute(router, R.createPackage, async ({ caller, body }) => ({
    data: packageView(await createCreditPackage(deps, caller, body)),
    message: 'Credit package created',
  }));
  bindRoute(router, R.getPackage, async ({ caller, params }) => ({
    data: packageView(await getCreditPackage(deps, caller, params.id)),
  }));
  bindRoute(router, R.updatePackage, async ({ caller, params, body }) => ({
    data: packageView(await updateCreditPackage(deps, caller, params.id, body)),
    message: 'Credit package updated',
  }));
  bindRoute(router, R.deactivatePackage, async ({ caller, params }) => ({
    data: packageView(await updateCreditPackage(deps, caller, params.id, { is_active: false })),
    message: 'Credit package deactivated',
  }));

  return router;
}
