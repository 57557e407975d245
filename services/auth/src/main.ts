import { bootService } from '@ledgerline/platform';
import { createApp } from './app';
import { loadAuthConfig } from './config';
import { signingKeyStore } from './store/signing-keys';
import { userStore } from './store/users';

const config = loadAuthConfig();

bootService('auth', config, async (ctx) => {
  const users = userStore(ctx.mongo);
  const keys = signingKeyStore(ctx.mongo);
  await keys.current(); // creates the first key pair at first start
  await ctx.topics(['auth']);
  const publishSoon = ctx.outbox([{ model: users.model, lockKey: (id) => `user:${id}` }]);
  return createApp({
    logger: ctx.logger,
    readiness: ctx.readiness,
    bodyLimit: config.BODY_LIMIT,
    users,
    keys,
    issuer: config.JWT_ISSUER,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    publishSoon,
  });
});
