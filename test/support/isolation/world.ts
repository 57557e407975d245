import { randomBytes } from 'node:crypto';
import { eventually } from '../infra';
import { registerAndLogin, type Api, type TestSession } from '../accounts';
import { call, must } from './http';

/** What the platform admin sets up once: a plan for carts and a credit package to buy. */
export interface Catalogue {
  adminToken: string;
  planId: string;
  creditPackageId: string;
}

/**
 * One tenant with one of every resource that has an id in a documented path. Every name-like field
 * carries a marker unique to the tenant, so any answer given to another tenant can be searched for
 * it.
 */
export interface World {
  label: string;
  /** The factor of every amount of the world (see buildWorld). */
  unit: number;
  session: TestSession;
  slug: string;
  /** Strings that belong to this tenant only (ids, names, login): none may reach another tenant. */
  secrets: string[];
  marker: string;
  kam: string;
  customer: string;
  pkg: string;
  pricing: string;
  utilityInfo: string;
  utilityDetail: string;
  entitlement: string;
  detail: string;
  draftInvoice: string;
  draftLine: string;
  issuedInvoice: string;
  issuedLine: string;
  payment: string;
  paymentDetail: string;
  billingRun: string;
  apiToken: string;
  member: string;
  ledgerEntry: string;
  /** The platform's invoices to this tenant: a credit purchase and a cart checkout. */
  purchaseInvoice: string;
  checkoutInvoice: string;
  purchase: string;
  /** The idempotency key this tenant used for its payment. */
  paymentKey: string;
  /** As a provider (issue 18): a billable metric (its code), a plan and its customer's subscription. */
  metric: string;
  providerPlan: string;
  providerPlanCode: string;
  subscription: string;
  /** A renewal run of the provider (nothing due: the subscription is in its trial). */
  renewalRun: string;
  /** A credit note on the issued invoice (issue 17). */
  creditNote: string;
  /** A webhook endpoint (to a port nothing listens on), its signing secret and a test delivery. */
  webhookEndpoint: string;
  webhookSecret: string;
  webhookDelivery: string;
}

const rand = () => randomBytes(4).toString('hex');

/**
 * `unit` scales the world's money, so that a report of one tenant that also counted another's
 * would show a figure that is not its own.
 */
export async function buildWorld(
  api: Api,
  label: string,
  catalogue: Catalogue,
  unit: number,
): Promise<World> {
  const money = (amount: number) => `${amount * unit}.00`;
  const session = await registerAndLogin(api, label);
  const t = session.token;
  const me = await must(api, t, 'get', '/api/auth/me');
  const slug = me.tenants.find((x: { id: string }) => x.id === session.tenantId).slug as string;
  const marker = `${label}-secret-${rand()}`;
  const m = (what: string) => `${marker}-${what}`;

  const [kam, pkg, utilityInfo, apiToken, member] = await Promise.all([
    must(api, t, 'post', '/api/customers/kam', { kam_name: m('kam'), address: m('kam-address') }),
    must(api, t, 'post', '/api/packages/packages', {
      package_name: m('package'),
      package_type: 'soho',
      description: m('package-description'),
      mbps: 10,
    }),
    must(api, t, 'post', '/api/utility/utility-info', {
      company_name: m('utility'),
      vat_rate: 15,
      invoice_footer: m('footer'),
    }),
    must(api, t, 'post', '/api/auth/api-tokens', { name: m('token') }),
    must(api, t, 'post', '/v1/account/team', {
      email: `${label.toLowerCase()}member${rand()}@example.com`,
      first_name: m('member'),
      role: 'viewer',
    }),
  ]);
  const customer = await must(api, t, 'post', '/api/customers/customers', {
    customer_name: m('customer'),
    company_name: m('company'),
    customer_type: 'bw',
    kam_id: kam.id,
    // every world's first customer has this number: numbers are unique within a tenant only
    customer_number: 'CN-SHARED-1',
    remarks: m('customer-remarks'),
  });
  const [pricing, utilityDetail, entitlement] = await Promise.all([
    must(api, t, 'post', '/api/packages/package-pricings', {
      package_master_id: pkg.id,
      rate: '10.00',
      description: m('pricing'),
      val_start_at: '2025-01-01',
    }),
    must(api, t, 'post', '/api/utility/utility-details', {
      utility_master_id: utilityInfo.id,
      type: 'bank',
      name: m('bank'),
      number: `ACC${rand()}`,
      remarks: m('bank-remarks'),
    }),
    must(api, t, 'post', '/api/customers/entitlements', {
      customer_master_id: customer.id,
      bill_number: m('bill'),
      activation_date: '2025-01-01',
      remarks: m('entitlement'),
    }),
  ]);
  const details = await must(
    api,
    t,
    'post',
    `/api/customers/entitlements/${entitlement.id}/details`,
    {
      bandwidth_details: [
        {
          bandwidth_type: 'ipt',
          mbps: 10,
          unit_price: 20,
          start_date: '2025-01-01',
          end_date: '2025-01-31',
          remarks: m('detail'),
        },
      ],
    },
  );
  const [draft, issued] = await Promise.all([
    must(api, t, 'post', '/api/bills/invoices', {
      customer_id: customer.id,
      status: 'draft',
      remarks: m('draft'),
      details: [{ sub_total: '100.00', vat_rate: 10, remarks: m('draft-line') }],
    }),
    must(api, t, 'post', '/api/bills/invoices', {
      customer_id: customer.id,
      status: 'unpaid',
      issue_date: '2025-02-01',
      remarks: m('issued'),
      details: [{ sub_total: money(500), vat_rate: 10, remarks: m('issued-line') }],
    }),
  ]);
  const paymentKey = `${marker}-pay-key`;
  const paid = await call(
    api,
    t,
    'post',
    '/api/payments/payments',
    {
      invoice_master_id: issued.id,
      payment_method: 'cash',
      amount: money(100),
      remarks: m('payment'),
      transaction_id: m('txn'),
    },
    { 'Idempotency-Key': paymentKey },
  );
  expect([paid.status, paid.body.error]).toEqual([201, undefined]);
  const payment = paid.body.data;
  const [paymentDetail, run, charge, purchase, creditNote] = await Promise.all([
    must(api, t, 'post', '/api/payments/payment-details', {
      payment_master_id: payment.id,
      pay_amount: money(50),
      remarks: m('payment-detail'),
      transaction_id: m('txn-2'),
    }),
    must(
      api,
      t,
      'post',
      '/api/bills/billing-runs',
      {
        period_start: '2025-01-01',
        period_end: '2025-01-31',
      },
      202,
    ),
    must(api, t, 'post', `/api/billing/${customer.id}/balance`, {
      amount: money(7),
      description: m('charge'),
    }),
    must(api, t, 'post', `/v1/billing/credit-packages/${catalogue.creditPackageId}/purchase`),
    must(api, t, 'post', '/api/bills/credit-notes', {
      invoice_id: issued.id,
      amount: money(10),
      reason: m('credit-note'),
    }),
  ]);
  // the plan reaches billing's catalogue by an event
  await eventually(
    () => call(api, t, 'post', '/api/cart', { plan: catalogue.planId }),
    (r) => r.status === 201,
  );
  // as a provider: once tenants knows the tenant (auth's event), a metric, a plan charging it and
  // the tenant's customer subscribed to it
  const metricCode = `calls_${rand()}`;
  const metric = await eventually(
    () =>
      call(api, t, 'post', `/api/profile/${slug}/billable-metrics`, {
        code: metricCode,
        name: m('metric'),
        aggregation: 'count',
      }),
    (r) => r.status !== 404,
  );
  expect([metric.status, metric.body.error]).toEqual([201, undefined]);
  const providerPlan = await must(api, t, 'post', `/api/profile/${slug}/plans`, {
    code: `plan-${rand()}`,
    name: m('provider-plan'),
    description: m('provider-plan-description'),
    currency: 'USD',
    interval: 'month',
    charges: [
      { kind: 'flat', code: 'base', name: m('base'), amount: money(10) },
      {
        kind: 'usage',
        code: 'calls',
        name: m('calls'),
        metric: metricCode,
        model: 'per_unit',
        unit_price: '0.0015',
      },
    ],
  });
  const subscription = await must(
    api,
    t,
    'post',
    `/api/profile/${slug}/plans/${providerPlan.id}/subscriptions`,
    // in a trial: nothing is invoiced, so the books the other checks total stay as they were
    { customer: { id: customer.id }, trial_days: 30 },
  );
  const renewalRun = await must(api, t, 'post', `/api/profile/${slug}/renewal-runs`, {}, 202);
  // a channel switched off, so another tenant switching its own on would show here
  await must(api, t, 'patch', '/v1/billing/payment-methods/bkash', { is_enabled: false });
  const checkout = await must(api, t, 'post', `/api/billing/${session.tenantId}/checkout/paylater`);
  // the cart is left holding an item, so a foreign checkout or emptying would show
  await must(api, t, 'post', '/api/cart', { plan: catalogue.planId, option: 'yearly' });
  const webhook = await must(api, t, 'post', '/api/webhooks/endpoints', {
    url: 'http://127.0.0.1:9/hooks',
    events: ['invoice.paid'],
    description: m('webhook'),
  });
  const webhookDelivery = await must(api, t, 'post', `/api/webhooks/endpoints/${webhook.id}/test`);

  const world: World = {
    label,
    unit,
    session,
    slug,
    marker,
    secrets: [],
    kam: kam.id,
    customer: customer.id,
    pkg: pkg.id,
    pricing: pricing.id,
    utilityInfo: utilityInfo.id,
    utilityDetail: utilityDetail.id,
    entitlement: entitlement.id,
    detail: details.results[0].id,
    draftInvoice: draft.id,
    draftLine: draft.details[0].id,
    issuedInvoice: issued.id,
    creditNote: creditNote.id,
    issuedLine: issued.details[0].id,
    payment: payment.id,
    paymentDetail: paymentDetail.id,
    billingRun: run.id,
    apiToken: apiToken.id,
    member: member.member.id,
    ledgerEntry: charge.transaction.id,
    purchaseInvoice: purchase.invoice_id,
    purchase: purchase.id,
    checkoutInvoice: checkout.invoice.id,
    paymentKey,
    metric: metricCode,
    providerPlan: providerPlan.id,
    providerPlanCode: providerPlan.code,
    subscription: subscription.id,
    renewalRun: renewalRun.id,
    webhookEndpoint: webhook.id,
    webhookSecret: webhook.secret,
    webhookDelivery: webhookDelivery.id,
  };
  world.secrets = [
    marker,
    session.tenantId,
    session.userId,
    session.username,
    slug,
    ...Object.entries(world)
      .filter(([k, v]) => typeof v === 'string' && !['label', 'unit', 'marker', 'slug'].includes(k))
      .map(([, v]) => v as string),
  ].filter((v, i, all) => all.indexOf(v) === i);
  return world;
}

/** Waits until the world's asynchronous effects have landed, so a later re-read compares like with like. */
export async function settle(api: Api, w: World): Promise<void> {
  const t = w.session.token;
  const paid = `${150 * w.unit}.00`;
  await Promise.all([
    eventually(
      () => call(api, t, 'get', `/api/bills/invoices/${w.issuedInvoice}`),
      (r) => r.body.data?.total_paid_amount === paid,
      30_000,
    ),
    eventually(
      () => call(api, t, 'get', `/api/customers/customers/${w.customer}`),
      (r) => r.body.data?.total_paid === paid,
      30_000,
    ),
    eventually(
      () => call(api, t, 'get', `/api/bills/billing-runs/${w.billingRun}`),
      (r) => /^completed/.test(String(r.body.data?.status)),
      30_000,
    ),
  ]);
}
