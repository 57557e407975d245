import { z } from 'zod';
import { currencySchema } from '@ledgerline/contracts';
import {
  baseEnv,
  jwksEnv,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  redisEnv,
  tenantsEnv,
} from '@ledgerline/platform';

export const customersConfigSchema = z.object({
  ...baseEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...redisEnv,
  ...jwksEnv,
  /** Asked for a tenant's plan limits this service's copy does not hold yet. */
  ...tenantsEnv,
  PORT: baseEnv.PORT.default(4003),
  MONGO_DB: mongoEnv.MONGO_DB.default('ledgerline_customers'),
  /** Currency of a customer or package created without one. */
  DEFAULT_CURRENCY: currencySchema.default('USD'),
  OUTBOX_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  /** Kafka consumer group reading billing's invoice events (customer totals). */
  CONSUMER_GROUP_ID: z.string().min(1).default('customers'),
});
export type CustomersConfig = z.infer<typeof customersConfigSchema>;

export const loadCustomersConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(customersConfigSchema, env);
