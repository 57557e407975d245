import { Router } from 'express';
import {
  AppError,
  PLATFORM_PAYMENT_ROUTES as R,
  pageOf,
  PLATFORM_TENANT_ID,
  toListQuery,
} from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { listPaymentMethods, setPaymentMethod } from '../use-cases/payment-methods';
import { recordPlatformPayment } from '../use-cases/record-payment';
import { platformPaymentSearch } from '../use-cases/search';
import { platformPaymentView } from '../views';

/**
 * Seed 000 /v1/billing: a tenant's payments to the platform, and the payment methods the caller's
 * tenant accepts (an owner or admin enables and disables them).
 */
export function platformPaymentRoutes(deps: PaymentsDeps): Router {
  const router = Router();

  // the platform's books hold them, the paying tenant is their customer
  bindRoute(router, R.list, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await deps.payments.list(
      PLATFORM_TENANT_ID,
      { customer_id: caller.tenantId, status: query.status, search: platformPaymentSearch(q) },
      q,
    );
    return { data: pageOf(q, { results: results.map(platformPaymentView), count }) };
  });

  bindRoute(router, R.create, async ({ caller, body, idempotencyKey }) => {
    const key = idempotencyKey ? { scope: 'platform', key: idempotencyKey } : undefined;
    const payment = await recordPlatformPayment(deps, caller, body, key);
    return { data: platformPaymentView(payment), message: 'Payment recorded' };
  });

  bindRoute(router, R.methods, async ({ caller }) => ({
    data: { results: await listPaymentMethods(deps, caller.tenantId) },
  }));

  bindRoute(router, R.setMethod, async ({ caller, params, body: { is_enabled } }) => {
    if (!caller.userId) throw AppError.forbidden();
    const method = await setPaymentMethod(
      deps,
      caller.tenantId,
      caller.userId,
      params.method,
      is_enabled,
    );
    return { data: method, message: `Payment method ${is_enabled ? 'enabled' : 'disabled'}` };
  });

  return router;
}
