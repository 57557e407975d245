import { Router, type Request } from 'express';
import {
  AppError,
  formatMinor,
  balanceRequest,
  cartItemRequest,
  checkoutRequest,
  listQuerySchema,
  metricsQuery,
  ok,
} from '@ledgerline/contracts';
import { parseBody, parseQuery, requirePermission, requestCaller } from '@ledgerline/platform';
import type { Invoice } from '../../store/invoices';
import { invoiceView } from '../../views';
import { getBalance, recordBalance } from '../use-cases/balance';
import { addToCart, clearCart, getCart, payOrder, placeOrder } from '../use-cases/cart';
import type { LedgerDeps } from '../use-cases/deps';
import { METRICS, metricsTable, type MetricName } from '../use-cases/metrics';
import { listTransactions } from '../use-cases/transactions';
import { transactionView } from '../views';

const caller = requestCaller;

const idempotencyKey = (req: Request) => req.header('idempotency-key')?.trim() || undefined;

/** An order as seed 001 reads it: its total also in integer minor units, beside the invoice. */
const orderView = (invoice: Invoice) => ({
  total: formatMinor(invoice.total_minor, invoice.currency),
  total_minor: invoice.total_minor,
  currency: invoice.currency,
  unit: invoice.currency.toLowerCase(),
  invoice: invoiceView(invoice),
});

/** Seed 001's billing (ledger, balance, cart, checkout) and metrics endpoints; full paths. */
export function ledgerRouter(deps: LedgerDeps): Router {
  const router = Router();

  router.get('/api/billing/transactions', requirePermission('bills:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const { results, count } = await listTransactions(deps, caller(req), query);
    res.json(
      ok({
        results: results.map(transactionView),
        count,
        page: query.page,
        per_page: query.perPage,
      }),
    );
  });

  router.get('/api/billing/:profile/balance', requirePermission('bills:read'), async (req, res) => {
    const currency =
      typeof req.query.currency === 'string' ? req.query.currency.toUpperCase() : undefined;
    res.json(ok(await getBalance(deps, caller(req), String(req.params.profile), currency)));
  });

  router.post(
    '/api/billing/:profile/balance',
    requirePermission('bills:update'),
    async (req, res) => {
      const { entry, created, balance } = await recordBalance(
        deps,
        caller(req),
        String(req.params.profile),
        parseBody(balanceRequest, req),
        idempotencyKey(req),
      );
      res
        .status(created ? 201 : 200)
        .json(
          ok(
            { transaction: transactionView(entry), balance },
            created ? 'Balance updated' : 'Already recorded',
          ),
        );
    },
  );

  router.get('/api/cart', requirePermission('bills:read'), async (req, res) => {
    res.json(ok(await getCart(deps, caller(req))));
  });

  router.post('/api/cart', requirePermission('bills:create'), async (req, res) => {
    res
      .status(201)
      .json(
        ok(await addToCart(deps, caller(req), parseBody(cartItemRequest, req)), 'Added to cart'),
      );
  });

  router.delete('/api/cart', requirePermission('bills:create'), async (req, res) => {
    const who = caller(req);
    await clearCart(deps, who);
    res.json(ok(await getCart(deps, who), 'Cart emptied'));
  });

  router.post(
    '/api/billing/:profile/checkout/paylater',
    requirePermission('bills:create'),
    async (req, res) => {
      const invoice = await placeOrder(
        deps,
        caller(req),
        String(req.params.profile),
        idempotencyKey(req),
      );
      res
        .status(201)
        .json(ok({ ...orderView(invoice), payment: null, paid: false }, 'Order placed; pay later'));
    },
  );

  router.post(
    '/api/billing/:profile/checkout',
    requirePermission('bills:create'),
    async (req, res) => {
      // the body is optional: pay now with the default method
      const body =
        req.body === undefined ? checkoutRequest.parse({}) : parseBody(checkoutRequest, req);
      const who = caller(req);
      const invoice = await placeOrder(deps, who, String(req.params.profile), idempotencyKey(req));
      // a payments outage answers 503 from here; the order stays as an unpaid invoice
      const payment = await payOrder(deps, who, invoice, body.payment_method);
      res.status(201).json(
        ok(
          {
            ...orderView(invoice),
            payment,
            paid: payment !== null || invoice.balance_due_minor <= 0,
          },
          'Order placed and paid',
        ),
      );
    },
  );

  router.get('/api/metrics/:profile/:metric', requirePermission('bills:read'), async (req, res) => {
    const metric = String(req.params.metric);
    if (!(METRICS as readonly string[]).includes(metric)) {
      throw AppError.notFound('Metric');
    }
    const q = parseQuery(metricsQuery, req);
    res.json(
      ok(
        await metricsTable(deps, caller(req), String(req.params.profile), metric as MetricName, {
          start: q.start_at ?? q.start_date,
          end: q.ends_at ?? q.end_date,
          currency: q.currency,
        }),
      ),
    );
  });

  return router;
}
