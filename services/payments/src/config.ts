import { z } from 'zod';
import { baseEnv, jwksEnv, kafkaEnv, loadConfig, mongoEnv, redisEnv } from '@ledgerline/platform';

export const paymentsConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...redisEnv,
  ...jwksEnv,
  PORT: baseEnv.PORT.default(4005),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_payments'),
  BILLING_URL: z.url(),
  BILLING_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  CONSUMER_GROUP_ID: z.string().default('payments'),
});
export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

export const loadPaymentsConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(paymentsConfigSchema, env);
