import { z } from 'zod';
import { loadConfig, storeServiceEnv, tenantsEnv } from '@ledgerline/platform';

export const authConfigSchema = z
  .object({
    ...storeServiceEnv({ port: 4001, db: 'ledgerline_auth' }),
    /** Asked for a tenant's plan limits (staff) this service's copy does not hold yet. */
    ...tenantsEnv,
    JWT_ISSUER: z.string().default('ledgerline-auth'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .default(30 * 86_400),
    /** Seed 001 registers with "yoyo"; raise this in production. */
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(1).max(128).default(4),
    PLATFORM_ADMIN_USERNAME: z.string().min(3).default('admin'),
    PLATFORM_ADMIN_EMAIL: z.email().default('admin@ledgerline.local'),
    PLATFORM_ADMIN_PASSWORD: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (
      c.NODE_ENV === 'production' &&
      (!c.PLATFORM_ADMIN_PASSWORD || c.PLATFORM_ADMIN_PASSWORD.length < 12)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['PLATFORM_ADMIN_PASSWORD'],
        message: 'is required in production (at least 12 characters)',
      });
    }
  })
  .transform((c) => ({
    ...c,
    PLATFORM_ADMIN_PASSWORD: c.PLATFORM_ADMIN_PASSWORD ?? 'ledgerline-admin',
  }));
export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(authConfigSchema, env);
