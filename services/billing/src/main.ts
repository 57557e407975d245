import { bootService, createJwksVerifier } from '@ledgerline/platform';
import { createApp } from './app';
import { loadBillingConfig } from './config';
import { creditsDeps } from './credits/wiring';
import { invoicingDeps } from './invoicing-wiring';
import { ledgerDeps } from './ledger/wiring';

/** Billing HTTP API. The worker (worker.ts) is the second entry point of the same codebase. */
const config = loadBillingConfig();

bootService('billing', config, async (ctx) => {
  await ctx.topics(['billing']);
  return createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
    invoicing: invoicingDeps(ctx, config),
    credits: creditsDeps(ctx, config),
    ledger: ledgerDeps(ctx, config),
  });
});
