import { Router } from 'express';
import { CREDIT_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { invoiceView } from '../../views';
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
import { getPlatformInvoice, listPlatformInvoices } from '../use-cases/platform-invoices';
import { purchaseCreditPackage } from '../use-cases/purchases';
import {
  packageView,
  platformInvoiceSummary,
  purchaseView,
  transactionView,
  usageView,
} from '../views';

/** Seed 000: /v1/billing/credits/..., transactions, credit packages, invoices; /v1/account/usage/. */
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

  bindRoute(router, R.purchase, async ({ caller, params, idempotencyKey }) => {
    const { purchase, invoice } = await purchaseCreditPackage(
      deps,
      caller,
      params.id,
      idempotencyKey,
    );
    return {
      data: purchaseView(purchase, invoice),
      message: `Invoice ${invoice.invoice_number} issued; the credits are granted once it is paid`,
    };
  });

  bindRoute(router, R.invoices, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listPlatformInvoices(deps, caller, q);
    return { data: pageOf(q, { results: results.map(platformInvoiceSummary), count }) };
  });
  bindRoute(router, R.invoice, async ({ caller, params }) => ({
    data: invoiceView(await getPlatformInvoice(deps, caller, params.id)),
  }));

  return router;
}
