/**
 * What every deployment of Ledgerline runs (docker-compose.yml, deploy/k8s): each process's entry,
 * port, database and the zod schema its config is parsed with at start, shared by the compose and
 * Kubernetes checks so that both are held to the code.
 */
import { authConfigSchema } from '../../services/auth/src/config';
import { billingConfigSchema } from '../../services/billing/src/config';
import { customersConfigSchema } from '../../services/customers/src/config';
import { gatewayConfigSchema } from '../../services/gateway/src/config';
import { paymentsConfigSchema } from '../../services/payments/src/config';
import { tenantsConfigSchema } from '../../services/tenants/src/config';
import { webhooksConfigSchema } from '../../services/webhooks/src/config';

export interface SafeParseSchema {
  safeParse(
    input: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: unknown[] } };
}

export interface AppSpec {
  schema: SafeParseSchema;
  entry: string;
  /** HTTP port, or null for a process that serves no HTTP. */
  port: number | null;
  /** MongoDB database, or null for a process without one. */
  db: string | null;
}

export const APPS: Record<string, AppSpec> = {
  auth: {
    schema: authConfigSchema,
    entry: 'services/auth/dist/main.js',
    port: 4001,
    db: 'ledgerline_auth',
  },
  tenants: {
    schema: tenantsConfigSchema,
    entry: 'services/tenants/dist/main.js',
    port: 4002,
    db: 'ledgerline_tenants',
  },
  customers: {
    schema: customersConfigSchema,
    entry: 'services/customers/dist/main.js',
    port: 4003,
    db: 'ledgerline_customers',
  },
  'billing-api': {
    schema: billingConfigSchema,
    entry: 'services/billing/dist/main.js',
    port: 4004,
    db: 'ledgerline_billing',
  },
  'billing-worker': {
    schema: billingConfigSchema,
    entry: 'services/billing/dist/worker.js',
    port: null,
    db: 'ledgerline_billing',
  },
  payments: {
    schema: paymentsConfigSchema,
    entry: 'services/payments/dist/main.js',
    port: 4005,
    db: 'ledgerline_payments',
  },
  webhooks: {
    schema: webhooksConfigSchema,
    entry: 'services/webhooks/dist/main.js',
    port: 4006,
    db: 'ledgerline_webhooks',
  },
  gateway: {
    schema: gatewayConfigSchema,
    entry: 'services/gateway/dist/main.js',
    port: 8080,
    db: null,
  },
};
/** Variables a service's environment may set beyond its schema: ones a library reads itself. */
export const LIBRARY_ENV = new Set(['KAFKAJS_NO_PARTITIONER_WARNING']);

/** The variables a schema declares, for a z.object or a z.object(...).transform(...). */
export function declaredKeys(schema: unknown): string[] {
  const s = schema as { shape?: Record<string, unknown>; in?: unknown };
  if (s.shape) return Object.keys(s.shape);
  if (s.in) return declaredKeys(s.in);
  throw new Error('schema is neither an object schema nor a pipe from one');
}

/**
 * A deployment's environment for one app (compose or Kubernetes), parsed with the app's config
 * schema as the process does at start: valid, bound to every interface, on its port and database.
 * Answers the parsed config. On failure it prints the schema's issues (path + message).
 */
export function expectContainerConfig(
  name: string,
  env: Record<string, string>,
): Record<string, unknown> {
  const { schema, port, db } = APPS[name]!;
  const result = schema.safeParse(env);
  expect(result.success ? [] : result.error.issues).toEqual([]);
  const config = (result as { data: Record<string, unknown> }).data;
  expect(config.HOST).toBe('0.0.0.0');
  expect(config.NODE_ENV).toBe('production');
  expect(config.PORT).toBe(port ?? 0);
  expect(config.MONGO_DB).toBe(db ?? undefined);
  return config;
}
