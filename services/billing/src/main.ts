import { bootService, createJwksVerifier, planLimits } from '@ledgerline/platform';
import { createApp } from './app';
import { loadBillingConfig } from './config';
import { invoiceStore } from './store/invoices';
import { invoiceLockKey } from './use-cases/invoices';

/** Billing HTTP API. The worker (worker.ts) is the second entry point of the same codebase. */
const config = loadBillingConfig();

bootService('billing', config, async (ctx) => {
  const invoices = invoiceStore(ctx.mongo);
  await ctx.topics(['billing']);
  return createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
    invoices,
    locks: ctx.locks,
    // kept current by the worker; read here
    limits: planLimits(ctx.mongo, ctx.locks),
    defaultCurrency: config.DEFAULT_CURRENCY,
    publishSoon: ctx.outbox([{ model: invoices.model, lockKey: invoiceLockKey }]),
  });
});
