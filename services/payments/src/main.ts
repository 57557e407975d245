import { bootService, createJwksVerifier, deleteTenantDocuments } from '@ledgerline/platform';
import { createApp } from './app';
import { httpBillingClient } from './clients/billing';
import { loadPaymentsConfig } from './config';
import { paymentStore } from './store/payments';

const config = loadPaymentsConfig();

bootService('payments', config, async (ctx) => {
  const payments = paymentStore(ctx.mongo);
  await ctx.topics(['payments']);
  // seed 003: a deleted tenant's payments go too
  await ctx.consume(config.CONSUMER_GROUP_ID, ['tenants'], {
    TenantDeleted: async (event) => {
      await deleteTenantDocuments(ctx.mongo, event.data.tenant_id);
    },
  });
  return createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
    payments,
    billing: httpBillingClient({
      baseUrl: config.BILLING_URL,
      timeoutMs: config.BILLING_TIMEOUT_MS,
    }),
    publishSoon: ctx.outbox([{ model: payments.model, lockKey: (id) => `payment:${id}` }]),
  });
});
