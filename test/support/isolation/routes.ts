import type { Catalogue, World } from './world';

/**
 * How tenant A attacks each documented path template that has a path parameter: the parameter
 * values taken from tenant B's world (one or more variants), a body for write methods that is
 * valid in A's own world (so a refusal comes from the lookup, not from validation), and the only
 * statuses allowed. A route added to the API without an entry here fails the coverage test.
 */
export interface RouteAttack {
  variants: (b: World, catalogue: Catalogue) => Record<string, string>[];
  body?: (a: World, b: World, catalogue: Catalogue) => object;
  /** Allowed statuses per method (default 404: another tenant's object does not exist for A). */
  expect?: Partial<Record<string, number[]>>;
  why?: string;
}

const NOT_FOUND = [404];
/** Routes reserved to platform administrators answer 403 before looking at the id. */
const ADMIN_ONLY = { get: [403], post: [403], put: [403], patch: [403], delete: [403] };
const ids = (...list: string[]) => list.map((id) => ({ id }));

/**
 * A customer's bills and payments are answered by billing and payments, which know the tenant's
 * customers from the customers service's events: another tenant's customer is a 404 there too.
 */
const CUSTOMER_SUB_LIST: RouteAttack = { variants: (b) => ids(b.customer) };

export const ROUTE_ATTACKS: Record<string, RouteAttack> = {
  // ---- auth (seed 001 / 000)
  '/api/auth/api-tokens/{id}': { variants: (b) => ids(b.apiToken) },
  '/v1/account/team/{id}': {
    // B's invited member and B's owner: neither is a member of A's team
    variants: (b) => ids(b.member, b.session.userId),
    body: () => ({ role: 'viewer' }),
  },
  '/api/users/{user}/profiles': {
    variants: (b) => [{ user: b.session.username }, { user: b.session.userId }],
    body: (a) => ({ slug: `${a.label.toLowerCase()}-hijack`, full_name: 'hijack' }),
  },

  // ---- seed 003: platform administration (not tenant-scoped; a tenant token is refused)
  '/api/saas/plans/{id}': {
    variants: (_b, c) => ids(c.planId),
    body: () => ({ name: 'hijacked plan', price_monthly: '0.00' }),
    expect: ADMIN_ONLY,
    why: 'platform plans belong to no tenant: a tenant token is 403 (platform admin only)',
  },
  '/api/saas/tenants/{id}': {
    variants: (b) => ids(b.session.tenantId),
    body: () => ({ company_name: 'hijacked', status: 'suspended' }),
    expect: ADMIN_ONLY,
    why: 'tenant administration is platform admin only (403)',
  },
  '/api/saas/tenants/{id}/subscription': {
    variants: (b) => ids(b.session.tenantId),
    body: (_a, _b, c) => ({ plan_id: c.planId }),
    expect: ADMIN_ONLY,
    why: "reading is for the tenant's own owner/admin or a platform admin, writing for admins only (403)",
  },
  '/api/saas/tenants/{id}/usage': {
    variants: (b) => ids(b.session.tenantId),
    body: (a) => ({ event_id: `${a.label}-usage`, metric: 'api_calls', quantity: 5 }),
    expect: ADMIN_ONLY,
    why: "the tenant's own owner/admin or a platform admin only (403)",
  },
  '/api/profile/{provider}/plans/{plan}/subscriptions': {
    variants: (b, c) => [
      { provider: 'platform', plan: c.planId },
      { provider: b.slug, plan: b.providerPlan },
      { provider: b.slug, plan: b.providerPlanCode },
    ],
    body: (_a, b) => ({ organization: { slug: b.slug } }),
    expect: { post: [403, 404], get: [404] },
    why: "the platform's grants are platform admin only (403); B's provider does not exist for A (404)",
  },
  '/api/profile/{provider}/plans/{plan}/subscriptions/{subscriber}': {
    variants: (b) => [
      { provider: b.slug, plan: b.providerPlan, subscriber: b.customer },
      { provider: b.slug, plan: b.providerPlanCode, subscriber: b.customer },
    ],
    body: () => ({ seats: 3 }),
  },
  '/api/profile/{subscriber}/subscriptions': { variants: (b) => [{ subscriber: b.slug }] },
  '/api/usage/subscriptions/{id}': {
    variants: (b) => ids(b.subscription),
    why: "B's subscription (to a plan of B's, of B's customer) does not exist for A (404)",
  },
  '/api/profile/{provider}/billable-metrics': {
    variants: (b) => [{ provider: b.slug }],
    body: () => ({ code: 'hijacked', name: 'hijacked', aggregation: 'count' }),
  },
  '/api/profile/{provider}/billable-metrics/{code}': {
    variants: (b) => [{ provider: b.slug, code: b.metric }],
    body: () => ({ name: 'hijacked' }),
  },
  '/api/profile/{provider}/plans': {
    variants: (b) => [{ provider: b.slug }],
    body: () => ({ code: 'hijacked', name: 'hijacked', currency: 'USD', interval: 'month' }),
  },
  '/api/profile/{provider}/plans/{plan}': {
    variants: (b) => [
      { provider: b.slug, plan: b.providerPlan },
      { provider: b.slug, plan: b.providerPlanCode },
    ],
    body: () => ({ name: 'hijacked', is_active: false }),
  },
  '/api/profile/{provider}/renewal-runs': { variants: (b) => [{ provider: b.slug }] },
  '/api/profile/{provider}/renewal-runs/{id}': {
    variants: (b) => [{ provider: b.slug, id: b.renewalRun }],
  },
  ...Object.fromEntries(
    ['', '/active', '/churned'].map((list) => [
      `/api/profile/{provider}/subscribers${list}`,
      {
        variants: (b: World) => [{ provider: b.slug }, { provider: 'platform' }],
        expect: { get: [403, 404] },
        why: "the platform's lists are platform admin only (403); B's provider does not exist for A (404)",
      },
    ]),
  ),

  // ---- seed 002: customers, entitlements, packages, utility
  '/api/customers/kam/{id}': {
    variants: (b) => ids(b.kam),
    body: () => ({ kam_name: 'hijacked', is_active: false }),
  },
  '/api/customers/customers/{id}': {
    variants: (b) => ids(b.customer),
    body: () => ({ customer_name: 'hijacked', customer_type: 'bw', status: 'suspended' }),
  },
  '/api/customers/customers/{id}/entitlements': { variants: (b) => ids(b.customer) },
  '/api/customers/entitlements/{id}': {
    variants: (b) => ids(b.entitlement),
    body: (a) => ({ customer_master_id: a.customer, remarks: 'hijacked' }),
  },
  '/api/customers/entitlements/{id}/details': {
    variants: (b) => ids(b.entitlement),
    body: () => ({
      bandwidth_details: [
        { bandwidth_type: 'gcc', mbps: 1, unit_price: 1, start_date: '2025-01-01' },
      ],
    }),
  },
  '/api/customers/entitlement-details/{id}': {
    variants: (b) => ids(b.detail),
    body: () => ({
      bandwidth_type: 'ipt',
      mbps: 1,
      unit_price: 1,
      start_date: '2025-01-01',
      status: 'terminated',
    }),
  },
  '/api/packages/packages/{id}': {
    variants: (b) => ids(b.pkg),
    body: () => ({ package_name: 'hijacked', package_type: 'soho', is_active: false }),
  },
  '/api/packages/packages/{id}/pricings': { variants: (b) => ids(b.pkg) },
  '/api/packages/package-pricings/{id}': {
    variants: (b) => ids(b.pricing),
    body: (a) => ({ package_master_id: a.pkg, rate: '0.01', val_start_at: '2025-01-01' }),
  },
  '/api/utility/utility-info/{id}': {
    variants: (b) => ids(b.utilityInfo),
    body: () => ({ company_name: 'hijacked', vat_rate: 0 }),
  },
  '/api/utility/utility-details/{id}': {
    variants: (b) => ids(b.utilityDetail),
    body: (a) => ({
      utility_master_id: a.utilityInfo,
      type: 'bank',
      name: 'hijacked',
      number: '000',
    }),
  },

  // ---- seed 002: bills (the platform's invoices to B are another tenant's objects too)
  '/api/bills/invoices/{id}': {
    variants: (b) => ids(b.draftInvoice, b.issuedInvoice, b.purchaseInvoice, b.checkoutInvoice),
    body: () => ({ remarks: 'hijacked', details: [{ sub_total: '0.01' }] }),
  },
  '/api/bills/invoices/{id}/issue': { variants: (b) => ids(b.draftInvoice) },
  '/api/bills/invoices/{id}/pdf': {
    variants: (b) => ids(b.draftInvoice, b.issuedInvoice, b.purchaseInvoice, b.checkoutInvoice),
  },
  '/api/bills/invoices/{id}/void': {
    variants: (b) => ids(b.issuedInvoice, b.draftInvoice, b.checkoutInvoice),
  },
  '/api/bills/invoice-details/{id}': {
    variants: (b) => ids(b.draftLine, b.issuedLine),
    body: () => ({ sub_total: '0.01', vat_rate: 0 }),
  },
  '/api/bills/billing-runs/{id}': { variants: (b) => ids(b.billingRun) },
  '/api/bills/credit-notes/{id}': { variants: (b) => ids(b.creditNote) },
  '/api/bills/credit-notes/{id}/pdf': { variants: (b) => ids(b.creditNote) },
  '/api/customers/customers/{id}/invoices': CUSTOMER_SUB_LIST,
  '/api/customers/customers/{id}/bill_history': CUSTOMER_SUB_LIST,
  '/api/customers/customers/{id}/last_bill': { variants: (b) => ids(b.customer) },
  '/api/customers/customers/{id}/previous_bill': { variants: (b) => ids(b.customer) },

  // ---- seed 001: ledger, checkout, metrics ({profile} is a customer, or the tenant itself)
  '/api/billing/{profile}/balance': {
    variants: (b) => [{ profile: b.customer }, { profile: b.session.tenantId }],
    body: () => ({ amount: '1.00', kind: 'write_off', description: 'hijacked' }),
  },
  '/api/billing/{profile}/checkout': {
    variants: (b) => [{ profile: b.session.tenantId }],
    body: () => ({ payment_method: 'card' }),
  },
  '/api/billing/{profile}/checkout/paylater': {
    variants: (b) => [{ profile: b.session.tenantId }],
  },
  '/api/metrics/{profile}/revenue': { variants: (b) => [{ profile: b.session.tenantId }] },
  '/api/metrics/{profile}/balances': { variants: (b) => [{ profile: b.session.tenantId }] },
  '/api/metrics/{profile}/customers': { variants: (b) => [{ profile: b.session.tenantId }] },

  // ---- payments
  '/api/customers/customers/{id}/payments': CUSTOMER_SUB_LIST,
  '/api/customers/customers/{id}/payment_history': CUSTOMER_SUB_LIST,
  '/api/payments/payments/{id}': {
    variants: (b) => ids(b.payment),
    body: () => ({ status: 'failed', remarks: 'hijacked' }),
  },
  '/api/payments/payments/{id}/void': {
    variants: (b) => ids(b.payment),
    body: () => ({ reason: 'hijacked' }),
  },
  '/api/payments/payments/{id}/refund': {
    variants: (b) => ids(b.payment),
    body: () => ({ amount: '1.00', reason: 'hijacked' }),
  },
  '/api/payments/payment-details/{id}': { variants: (b) => ids(b.paymentDetail) },

  // ---- seed 000: the platform's invoices to a tenant
  '/v1/billing/invoices/{id}': { variants: (b) => ids(b.purchaseInvoice, b.checkoutInvoice) },
  '/v1/billing/invoices/{id}/pdf': {
    variants: (b) => ids(b.purchaseInvoice, b.checkoutInvoice),
  },

  // ---- not tenant-scoped by their path parameter (see the reasons); still attacked with A's token
  '/v1/billing/credit-packages/{id}': {
    variants: (_b, c) => ids(c.creditPackageId),
    body: () => ({ price: '0.01', is_active: false }),
    expect: { get: [200], patch: [403], delete: [403] },
    why: "credit packages are the platform's catalogue: every tenant reads them (200); changing one is platform admin only (403)",
  },
  '/v1/billing/credit-packages/{id}/purchase': {
    variants: (_b, c) => ids(c.creditPackageId),
    expect: { post: [201] },
    why: "buying from the platform's catalogue is what a tenant may do (201, A's own purchase); the purchase body is covered by the mass-assignment test",
  },
  // ---- issue 15: webhooks (the tenant's owner and admins)
  '/api/webhooks/endpoints/{id}': {
    variants: (b) => ids(b.webhookEndpoint),
    body: () => ({ description: 'hijacked', enabled: false }),
  },
  '/api/webhooks/endpoints/{id}/rotate_secret': { variants: (b) => ids(b.webhookEndpoint) },
  '/api/webhooks/endpoints/{id}/test': { variants: (b) => ids(b.webhookEndpoint) },
  '/api/webhooks/endpoints/{id}/deliveries': { variants: (b) => ids(b.webhookEndpoint) },
  '/api/webhooks/deliveries/{id}': { variants: (b) => ids(b.webhookDelivery) },
  '/api/webhooks/deliveries/{id}/retry': { variants: (b) => ids(b.webhookDelivery) },
  '/v1/billing/payment-methods/{method}': {
    variants: () => [{ method: 'bkash' }],
    body: () => ({ is_enabled: true }),
    expect: { patch: [200] },
    why: "{method} names a payment channel, not an object: the setting changed is always the caller's tenant's (B's own setting is re-read after the attack)",
  },
};

export const DEFAULT_EXPECT = NOT_FOUND;

/**
 * List filters that name another object, mapped to the B object that each names. A documented
 * filter ending in `_id` without a mapping fails the coverage test.
 */
export const FILTER_IDS: Record<string, (b: World) => string[]> = {
  kam_id: (b) => [b.kam],
  customer_id: (b) => [b.customer, b.session.tenantId],
  customer_master_id: (b) => [b.customer],
  cust_entitlement_id: (b) => [b.entitlement],
  customer_entitlement_master_id: (b) => [b.entitlement],
  entitlement_master_id: (b) => [b.entitlement],
  package_master_id: (b) => [b.pkg],
  package_id: (b) => [b.pkg],
  utility_master_id: (b) => [b.utilityInfo],
  billing_run_id: (b) => [b.billingRun],
  invoice_master_id: (b) => [b.issuedInvoice, b.draftInvoice],
  invoice_id: (b) => [b.issuedInvoice, b.purchaseInvoice],
  payment_master_id: (b) => [b.payment],
};
