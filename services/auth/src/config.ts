import { z } from 'zod';
import { baseEnv, kafkaEnv, loadConfig, mongoEnv, redisEnv } from '@ledgerline/platform';

export const authConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...redisEnv,
  PORT: baseEnv.PORT.default(4001),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_auth'),
  JWT_ISSUER: z.string().default('ledgerline-auth'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;

export const loadAuthConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(authConfigSchema, env);
