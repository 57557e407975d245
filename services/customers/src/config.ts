import { z } from 'zod';
import { baseEnv, jwksEnv, kafkaEnv, loadConfig, mongoEnv } from '@ledgerline/platform';

export const customersConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...jwksEnv,
  PORT: baseEnv.PORT.default(4003),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_customers'),
});

export const loadCustomersConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(customersConfigSchema, env);
