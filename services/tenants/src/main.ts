import { bootService, createJwksVerifier } from '@ledgerline/platform';
import { createApp } from './app';
import { loadTenantsConfig } from './config';
import { tenantHandlers } from './events/handlers';
import { tenantStore } from './store/tenants';

const config = loadTenantsConfig();

bootService('tenants', config, async (ctx) => {
  const tenants = tenantStore(ctx.mongo);
  await ctx.consume(config.CONSUMER_GROUP_ID, ['auth'], tenantHandlers(tenants));
  return createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
  });
});
