import { Router, type RequestHandler } from 'express';
import {
  AppError,
  createPlatformPaymentRequest,
  listQuerySchema,
  ok,
  PLATFORM_TENANT_ID,
  updatePaymentMethodRequest,
} from '@ledgerline/contracts';
import { parseBody, parseQuery, requirePermission } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { listPaymentMethods, setPaymentMethod } from '../use-cases/payment-methods';
import { recordPlatformPayment } from '../use-cases/record-payment';
import { platformPaymentSearch } from '../use-cases/search';
import { platformPaymentView } from '../views';
import { caller, paymentKey } from './caller';

/**
 * Seed 000 /v1/billing: a tenant's payments to the platform, and the payment methods the caller's
 * tenant accepts (an owner or admin enables and disables them).
 */
export function platformPaymentRoutes(deps: PaymentsDeps, idempotent: RequestHandler): Router {
  const router = Router();

  router.get('/payments', requirePermission('payments:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const { results, count } = await deps.payments.list(
      PLATFORM_TENANT_ID,
      {
        customer_id: caller(req).tenantId,
        status: query.filters.status,
        search: platformPaymentSearch(query),
      },
      query,
    );
    res.json(
      ok({
        results: results.map(platformPaymentView),
        count,
        page: query.page,
        per_page: query.perPage,
      }),
    );
  });

  router.post('/payments', requirePermission('payments:create'), idempotent, async (req, res) => {
    const payment = await recordPlatformPayment(
      deps,
      caller(req),
      parseBody(createPlatformPaymentRequest, req),
      paymentKey(req, 'platform'),
    );
    res.status(201).json(ok(platformPaymentView(payment), 'Payment recorded'));
  });

  router.get('/payment-methods', requirePermission('payments:read'), async (req, res) => {
    res.json(ok({ results: await listPaymentMethods(deps, caller(req).tenantId) }));
  });

  router.patch(
    '/payment-methods/:method',
    requirePermission('settings:update'),
    async (req, res) => {
      const who = caller(req);
      if (!who.userId) throw AppError.forbidden();
      const { is_enabled } = parseBody(updatePaymentMethodRequest, req);
      const method = await setPaymentMethod(
        deps,
        who.tenantId,
        who.userId,
        String(req.params.method),
        is_enabled,
      );
      res.json(ok(method, `Payment method ${is_enabled ? 'enabled' : 'disabled'}`));
    },
  );

  return router;
}
