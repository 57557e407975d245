import { Router } from 'express';
import { LEDGER_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { getBalance, recordBalance } from '../use-cases/balance';
import { addToCart, clearCart, getCart } from '../use-cases/cart';
import type { LedgerDeps } from '../use-cases/deps';
import { metricsTable } from '../use-cases/metrics';
import { listTransactions } from '../use-cases/transactions';
import { transactionView } from '../views';

/** Seed 001's billing (ledger, balance, cart) and metrics endpoints; checkout is a flow (src/flows). */
export function ledgerRouter(deps: LedgerDeps): Router {
  const router = Router();

  bindRoute(router, R.transactions, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listTransactions(deps, caller, q);
    return { data: pageOf(q, { results: results.map(transactionView), count }) };
  });

  bindRoute(router, R.balance, async ({ caller, params, query }) => ({
    data: await getBalance(deps, caller, params.profile, query.currency?.toUpperCase()),
  }));

  // a replayed Idempotency-Key or reference answers the same 201 (nothing is posted twice)
  bindRoute(router, R.recordBalance, async ({ caller, params, body, idempotencyKey }) => {
    const { entry, created, balance } = await recordBalance(
      deps,
      caller,
      params.profile,
      body,
      idempotencyKey,
    );
    return {
      data: { transaction: transactionView(entry), balance },
      message: created ? 'Balance updated' : 'Already recorded',
    };
  });

  bindRoute(router, R.cart, async ({ caller }) => ({ data: await getCart(deps, caller) }));
  bindRoute(router, R.addToCart, async ({ caller, body }) => ({
    data: await addToCart(deps, caller, body),
    message: 'Added to cart',
  }));
  bindRoute(router, R.clearCart, async ({ caller }) => {
    await clearCart(deps, caller);
    return { data: await getCart(deps, caller), message: 'Cart emptied' };
  });

  for (const [spec, metric] of [
    [R.revenue, 'revenue'],
    [R.balances, 'balances'],
    [R.customers, 'customers'],
  ] as const) {
    bindRoute(router, spec, async ({ caller, params, query }) => ({
      data: await metricsTable(deps, caller, params.profile, metric, {
        start: query.start_at ?? query.start_date,
        end: query.ends_at ?? query.end_date,
        currency: query.currency,
      }),
    }));
  }

  return router;
}
