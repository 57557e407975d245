import { z } from 'zod';
import { currencySchema } from '@ledgerline/contracts';
import { jwksEnv, loadConfig, storeServiceEnv, tenantsEnv } from '@ledgerline/platform';

export const customersConfigSchema = z.object({
  ...storeServiceEnv({ port: 4003, db: 'ledgerline_customers' }),
  ...jwksEnv,
  /** Asked for a tenant's plan limits this service's copy does not hold yet. */
  ...tenantsEnv,
  /** Currency of a customer or package created without one. */
  DEFAULT_CURRENCY: currencySchema.default('USD'),
  /** Kafka consumer group reading billing's invoice events (customer totals). */
  CONSUMER_GROUP_ID: z.string().min(1).default('customers'),
});
export type CustomersConfig = z.infer<typeof customersConfigSchema>;

export const loadCustomersConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(customersConfigSchema, env);
