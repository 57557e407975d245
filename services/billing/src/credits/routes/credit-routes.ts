import { Router } from 'express';
import {
  consumeCreditsRequest,
  creditPackagePatchRequest,
  creditPackageRequest,
  listQuerySchema,
  ok,
  usageAnalyticsQuery,
} from '@ledgerline/contracts';
import {
  parseBody,
  parseQuery,
  requirePermission,
  requirePlatformAdmin,
  requestCaller,
} from '@ledgerline/platform';
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

const caller = requestCaller;

const page = <T, V>(
  { results, count }: { results: T[]; count: number },
  view: (item: T) => V,
  q: { page: number; perPage: number },
) => ok({ results: results.map(view), count, page: q.page, per_page: q.perPage });

/** Seed 000: /v1/billing/credits/..., transactions, credit packages, invoices; /v1/account/usage/. */
export function creditRoutes(deps: CreditsUseCaseDeps): Router {
  const router = Router();
  const read = requirePermission('credits:read');

  router.get(
    ['/v1/billing/credits/balance/balance', '/v1/billing/credits/balance'],
    read,
    async (req, res) => {
      res.json(ok(await creditBalance(deps, caller(req))));
    },
  );

  router.get('/v1/billing/transactions', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    res.json(page(await listTransactions(deps, caller(req), query), transactionView, query));
  });

  router.get('/v1/billing/credits/usage', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    res.json(page(await listUsage(deps, caller(req), query), usageView, query));
  });

  router.post(
    '/v1/billing/credits/usage',
    requirePermission('credits:consume'),
    async (req, res) => {
      const result = await consumeCredits(
        deps,
        caller(req),
        parseBody(consumeCreditsRequest, req),
        req.header('idempotency-key') ?? undefined,
      );
      res
        .status(201)
        .json(
          ok(
            { transaction: transactionView(result.transaction), balance: result.balance },
            `${-result.transaction.amount} credits used`,
          ),
        );
    },
  );

  router.get('/v1/account/usage/analytics', read, async (req, res) => {
    const { days } = parseQuery(usageAnalyticsQuery, req);
    res.json(ok(await creditAnalytics(deps, caller(req), days)));
  });

  router.get('/v1/billing/credit-packages', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    res.json(page(await listCreditPackages(deps, caller(req), query), packageView, query));
  });

  router.post('/v1/billing/credit-packages', requirePlatformAdmin, async (req, res) => {
    const pkg = await createCreditPackage(deps, caller(req), parseBody(creditPackageRequest, req));
    res.status(201).json(ok(packageView(pkg), 'Credit package created'));
  });

  router.get('/v1/billing/credit-packages/:id', read, async (req, res) => {
    res.json(ok(packageView(await getCreditPackage(deps, caller(req), String(req.params.id)))));
  });

  router.patch('/v1/billing/credit-packages/:id', requirePlatformAdmin, async (req, res) => {
    const pkg = await updateCreditPackage(
      deps,
      caller(req),
      String(req.params.id),
      parseBody(creditPackagePatchRequest, req),
    );
    res.json(ok(packageView(pkg), 'Credit package updated'));
  });

  router.delete('/v1/billing/credit-packages/:id', requirePlatformAdmin, async (req, res) => {
    const pkg = await updateCreditPackage(deps, caller(req), String(req.params.id), {
      is_active: false,
    });
    res.json(ok(packageView(pkg), 'Credit package deactivated'));
  });

  router.post(
    '/v1/billing/credit-packages/:id/purchase',
    requirePermission('payments:create'),
    async (req, res) => {
      const { purchase, invoice } = await purchaseCreditPackage(
        deps,
        caller(req),
        String(req.params.id),
        req.header('idempotency-key') ?? undefined,
      );
      res
        .status(201)
        .json(
          ok(
            purchaseView(purchase, invoice),
            `Invoice ${invoice.invoice_number} issued; the credits are granted once it is paid`,
          ),
        );
    },
  );

  router.get('/v1/billing/invoices', requirePermission('bills:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    res.json(
      page(await listPlatformInvoices(deps, caller(req), query), platformInvoiceSummary, query),
    );
  });

  router.get('/v1/billing/invoices/:id', requirePermission('bills:read'), async (req, res) => {
    res.json(ok(invoiceView(await getPlatformInvoice(deps, caller(req), String(req.params.id)))));
  });

  return router;
}
