import { revokedSessionKey } from '@ledgerline/contracts';
import {
  bootService,
  cachedVerifier,
  createKeyVerifier,
  planLimits,
  tenantsPlanLimitsOwner,
} from '@ledgerline/platform';
import { createApp } from './app';
import { loadAuthConfig } from './config';
import { apiTokenStore } from './store/api-tokens';
import { logoStore } from './store/logos';
import { profileSlugStore } from './store/profile-slugs';
import { sessionStore } from './store/sessions';
import { settingsStore } from './store/settings';
import { signingKeyStore } from './store/signing-keys';
import { userStore } from './store/users';
import { creditHandlers } from './events/credit-handlers';
import { ensurePlatformAdmin } from './use-cases/bootstrap';
import { deleteTenantIdentities } from './use-cases/tenant-deletion';
import type { AuthDeps } from './use-cases/deps';

const config = loadAuthConfig();

bootService('auth', config, async (ctx) => {
  const keys = signingKeyStore(ctx.mongo);
  await keys.current(); // creates the first key pair at first start
  await ctx.topics(['auth']);
  const limits = planLimits(ctx.mongo, ctx.locks, tenantsPlanLimitsOwner(config));
  // revocation keys outlive every access token they could stop (API-token tokens live a minute)
  const revocationTtlMs = (config.ACCESS_TOKEN_TTL_SECONDS + 120) * 1000;
  // the stores that are aggregates, named once: the relay publishes their outboxes
  const aggregateStores = {
    users: userStore(ctx.mongo),
    slugs: profileSlugStore(ctx.mongo),
    sessions: sessionStore(ctx.mongo),
    settings: settingsStore(ctx.mongo),
  };
  const { writer, publishSoon } = await ctx.aggregates(
    Object.values(aggregateStores).map((store) => store.aggregate),
  );
  const deps: AuthDeps = {
    ...aggregateStores,
    apiTokens: apiTokenStore(ctx.mongo),
    logos: logoStore(ctx.mongo),
    keys,
    aggregates: writer,
    locks: ctx.locks,
    limits,
    revokeInGateways: async (ids) => {
      if (ids.length === 0) return;
      const multi = ctx.redis.multi();
      for (const id of ids) multi.set(revokedSessionKey(id), '1', 'PX', revocationTtlMs);
      await multi.exec();
    },
    publishSoon,
    issuer: config.JWT_ISSUER,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    passwordMinLength: config.PASSWORD_MIN_LENGTH,
  };
  await ctx.consume(
    'auth',
    ['tenants', 'billing'],
    {
      TenantDeleted: async (event) => {
        await deleteTenantIdentities(deps, ctx.mongo, event.data.tenant_id);
      },
      // the plans' limits: `staff` caps team invitations
      ...limits.handlers,
      // account settings' credit_balance follows billing's credit transactions
      ...creditHandlers(deps),
    },
    { batched: true },
  );
  await ensurePlatformAdmin(
    deps,
    {
      username: config.PLATFORM_ADMIN_USERNAME,
      email: config.PLATFORM_ADMIN_EMAIL,
      password: config.PLATFORM_ADMIN_PASSWORD,
    },
    ctx.logger,
  );
  const verifier = createKeyVerifier({
    issuer: config.JWT_ISSUER,
    publicKey: (kid) => keys.publicKeyPem(kid),
  });
  return createApp({ ...deps, ...ctx.httpDeps(cachedVerifier(verifier)) });
});
