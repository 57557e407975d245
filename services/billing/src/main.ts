import { bootService, createJwksVerifier, idempotency } from '@ledgerline/platform';
import { createApp } from './app';
import { loadBillingConfig } from './config';
import { creditsDeps } from './credits/wiring';
import { invoicingDeps } from './invoicing-wiring';
import { ledgerDeps } from './ledger/wiring';

/** Billing HTTP API. The worker (worker.ts) is the second entry point of the same codebase. */
const config = loadBillingConfig();
/** Idempotency keys live 24 h; expired ones are deleted this often (FerretDB has no TTL index). */
const IDEMPOTENCY_SWEEP_MS = 10 * 60_000;

bootService('billing', config, async (ctx) => {
  await ctx.topics(['billing']);
  const invoicing = await invoicingDeps(ctx, config);
  const keys = idempotency({ connection: ctx.mongo, logger: ctx.logger });
  ctx.stops.push(keys.startSweeper(IDEMPOTENCY_SWEEP_MS));
  return createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
    invoicing,
    credits: creditsDeps(ctx, invoicing),
    ledger: ledgerDeps(ctx, config, invoicing),
    idempotent: keys.middleware,
  });
});
