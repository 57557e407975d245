import { PUBLIC_ROUTES } from '@ledgerline/contracts';
import { resolveRoute } from './route-table';

describe('gateway route table', () => {
  test('when a seed path is asked for, then the owning service answers it, with or without a trailing slash', () => {
    const cases: [string, string, string][] = [
      ['GET', '/api/saas/tenants', 'tenants'],
      ['GET', '/api/saas/tenants/1/usage', 'tenants'],
      ['POST', '/api/profile/cowork/plans/premium/subscriptions', 'tenants'],
      ['POST', '/api/usage/events', 'tenants'],
      ['GET', '/api/usage/subscriptions/sub_1', 'tenants'],
      ['POST', '/api/auth/register', 'auth'],
      ['POST', '/api/users/xia/profiles', 'auth'],
      ['POST', '/api/accounts/profiles', 'auth'],
      ['GET', '/api', 'auth'],
      ['POST', '/api/cart', 'billing'],
      ['POST', '/api/billing/acme/checkout/paylater', 'billing'],
      ['GET', '/api/billing/transactions', 'billing'],
      ['GET', '/api/customers/kam/', 'customers'],
      ['GET', '/api/customers/customers/7/entitlements/', 'customers'],
      ['GET', '/api/customers/customers/7/invoices/', 'billing'],
      ['GET', '/api/customers/customers/7/bill_history/', 'billing'],
      ['GET', '/api/customers/customers/7/last_bill', 'billing'],
      ['GET', '/api/customers/customers/7/payments/', 'payments'],
      ['GET', '/api/customers/customers/7/payment_history/', 'payments'],
      ['GET', '/api/packages/packages/', 'customers'],
      ['GET', '/api/utility/utility-info/', 'customers'],
      ['POST', '/api/bills/invoices/auto_generate/', 'billing'],
      ['GET', '/api/payments/payments/by_customer/', 'payments'],
      ['GET', '/v1/billing/credits/balance/balance/', 'billing'],
      ['GET', '/v1/billing/payments/', 'payments'],
      ['GET', '/v1/billing/payment-methods/', 'payments'],
      ['GET', '/api/webhooks/endpoints/', 'webhooks'],
      ['POST', '/api/webhooks/deliveries/whd_1/retry/', 'webhooks'],
      ['POST', '/v1/billing/credit-packages/1/purchase/', 'billing'],
      ['GET', '/v1/account/usage/analytics/', 'billing'],
      ['PATCH', '/v1/account/settings/', 'auth'],
      ['DELETE', '/v1/account/team/3/', 'auth'],
    ];
    for (const [method, path, upstream] of cases) {
      expect([path, resolveRoute(method, path)?.upstream]).toEqual([path, upstream]);
    }
  });

  test('when a path only looks like a known prefix, then no service is chosen', () => {
    expect(resolveRoute('GET', '/api/billsx')).toBeNull();
    expect(resolveRoute('GET', '/nope')).toBeNull();
    expect(resolveRoute('GET', '/api/customersfoo/1')).toBeNull();
  });

  test('when a route is public, then only its own method is', () => {
    expect(resolveRoute('POST', '/api/auth')?.isPublic).toBe(true);
    expect(resolveRoute('POST', '/api/auth/login/')?.isPublic).toBe(true);
    expect(resolveRoute('POST', '/api/auth/register/')?.isPublic).toBe(true);
    expect(resolveRoute('GET', '/api/')?.isPublic).toBe(true);
    expect(resolveRoute('HEAD', '/api')?.isPublic).toBe(true);
    expect(resolveRoute('GET', '/.well-known/jwks.json')?.isPublic).toBe(true);
    expect(resolveRoute('DELETE', '/api/auth/register')?.isPublic).toBe(false);
    expect(resolveRoute('GET', '/api/bills/invoices/')?.isPublic).toBe(false);
    expect(resolveRoute('POST', '/api/users/xia/profiles')?.isPublic).toBe(false);
  });
});

describe('credential routes', () => {
  test('when a request carries a password or secret, then it is marked for the strict limits', () => {
    expect(resolveRoute('POST', '/api/auth')?.credential).toBe(true);
    expect(resolveRoute('POST', '/api/auth/register/')?.credential).toBe(true);
    expect(resolveRoute('POST', '/api/auth/refresh')).toEqual({
      upstream: 'auth',
      isPublic: true,
      credential: true,
    });
    expect(resolveRoute('GET', '/api')).toEqual({
      upstream: 'auth',
      isPublic: true,
      credential: false,
    });
    expect(resolveRoute('POST', '/api/auth/logout')).toEqual({
      upstream: 'auth',
      isPublic: false,
      credential: false,
    });
    expect(resolveRoute('POST', '/internal/api-tokens/exchange')).toBeNull();
  });
});

describe('route table and the OpenAPI document', () => {
  test('when a route is documented, then the gateway routes it, public exactly when documented public', () => {
    for (const r of PUBLIC_ROUTES) {
      const path = r.path.replace(/\{\w+\}/g, 'x1');
      const resolved = resolveRoute(r.method.toUpperCase(), path);
      expect([r.method, r.path, resolved !== null, resolved?.isPublic ?? false]).toEqual([
        r.method,
        r.path,
        true,
        r.public ?? false,
      ]);
    }
  });
});
