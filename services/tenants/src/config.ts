import { z } from 'zod';
import { baseEnv, jwksEnv, kafkaEnv, loadConfig, mongoEnv } from '@ledgerline/platform';

export const tenantsConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...jwksEnv,
  PORT: baseEnv.PORT.default(4002),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_tenants'),
  CONSUMER_GROUP_ID: z.string().default('tenants'),
});

export const loadTenantsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(tenantsConfigSchema, env);
