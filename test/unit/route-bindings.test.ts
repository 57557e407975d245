import {
  AUTH_ROUTES,
  BILLING_RUN_ROUTES,
  CREDIT_ROUTES,
  CUSTOMER_BILL_ROUTES,
  CUSTOMER_PAYMENT_ROUTES,
  CUSTOMER_ROUTES,
  INVOICE_ROUTES,
  LEDGER_ROUTES,
  PACKAGE_ROUTES,
  PAYMENT_ROUTES,
  PLATFORM_PAYMENT_ROUTES,
  PROVIDER_ROUTES,
  USAGE_ROUTES,
  PUBLIC_ROUTES,
  routeList,
  TENANT_ROUTES,
  UTILITY_ROUTES,
  WEBHOOK_ROUTES,
  type RouteSpec,
} from '@ledgerline/contracts';
import { routeBindingCounts } from '@ledgerline/platform';
import { createApp as createAuthApp } from '../../services/auth/src/app';
import { createApp as createBillingApp } from '../../services/billing/src/app';
import { createApp as createCustomersApp } from '../../services/customers/src/app';
import { createApp as createPaymentsApp } from '../../services/payments/src/app';
import { createApp as createTenantsApp } from '../../services/tenants/src/app';
import { createApp as createWebhooksApp } from '../../services/webhooks/src/app';

/**
 * Dependencies that are never called: building an app only binds its routes. Every property not
 * given is again a stub, so any factory can read what it closes over.
 */
function depsNeverCalled(given: Record<string, unknown>): never {
  const stub: unknown = new Proxy(() => undefined, {
    get: (_target, key) => (key === 'then' ? undefined : stub),
  });
  return Object.assign(Object.create(stub as object) as object, given) as never;
}

/** What createServiceApp reads while it builds. */
const appOptions = { readiness: [], bodyLimit: undefined, trustProxy: undefined };

const key = (r: RouteSpec): string => `${r.method.toUpperCase()} ${r.path}`;

/** The services whose routers are their specs so far (issue 14 moves the rest). */
const BOUND_BY_SPEC: Record<string, RouteSpec[]> = {
  auth: routeList(AUTH_ROUTES),
  tenants: [...routeList(TENANT_ROUTES), ...routeList(PROVIDER_ROUTES), ...routeList(USAGE_ROUTES)],
  customers: [
    ...routeList(CUSTOMER_ROUTES),
    ...routeList(PACKAGE_ROUTES),
    ...routeList(UTILITY_ROUTES),
  ],
  billing: [
    ...routeList(INVOICE_ROUTES),
    ...routeList(LEDGER_ROUTES),
    ...routeList(CREDIT_ROUTES),
    ...routeList(BILLING_RUN_ROUTES),
    ...routeList(CUSTOMER_BILL_ROUTES),
  ],
  payments: [
    ...routeList(PAYMENT_ROUTES),
    ...routeList(PLATFORM_PAYMENT_ROUTES),
    ...routeList(CUSTOMER_PAYMENT_ROUTES),
  ],
  webhooks: routeList(WEBHOOK_ROUTES),
};

describe('route specs are the routers', () => {
  beforeAll(() => {
    createAuthApp(depsNeverCalled(appOptions));
    createTenantsApp(depsNeverCalled(appOptions));
    createCustomersApp(depsNeverCalled(appOptions));
    createBillingApp(depsNeverCalled({ ...appOptions, idempotent: () => undefined }));
    createPaymentsApp(depsNeverCalled({ ...appOptions, idempotent: () => undefined }));
    createWebhooksApp(depsNeverCalled(appOptions));
  });

  it('when every service app is built, then each spec of a service on bindRoute is bound exactly once', () => {
    const counts = routeBindingCounts();
    for (const [service, specs] of Object.entries(BOUND_BY_SPEC)) {
      const wrong = specs
        .filter((s) => counts.get(s) !== 1)
        .map((s) => `${key(s)} ×${counts.get(s) ?? 0}`);
      expect({ service, wrong }).toEqual({ service, wrong: [] });
    }
  });

  it('when a spec is bound, then it is a documented public route', () => {
    const documented = new Set(PUBLIC_ROUTES);
    const undocumented = [...routeBindingCounts().keys()]
      .filter((s) => !documented.has(s))
      .map(key);
    expect(undocumented).toEqual([]);
  });

  it('when the public routes are listed, then no method and path is documented twice', () => {
    const seen = PUBLIC_ROUTES.map(key);
    expect(seen.filter((k, i) => seen.indexOf(k) !== i)).toEqual([]);
  });
});
