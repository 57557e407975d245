import { bootService, createJwksVerifier } from '@ledgerline/platform';
import { createApp } from './app';
import { loadCustomersConfig } from './config';

const config = loadCustomersConfig();

bootService('customers', config, async (ctx) =>
  createApp({
    logger: ctx.logger,
    verifier: createJwksVerifier({ jwksUrl: config.JWKS_URL, issuer: config.JWT_ISSUER }),
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
  }),
);
