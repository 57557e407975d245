import type { Method } from './http';
import type { Catalogue, World } from './world';

/**
 * Fields a client must never set: who owns a document, who wrote it, its identity and revision.
 * Sent with every create below (naming the other tenant where a value is needed).
 */
export const forgedAudit = (b: World) => ({
  tenant_id: b.session.tenantId,
  created_by: b.session.userId,
  updated_by: b.session.userId,
  id: 'forged-id',
  _id: 'forged-id',
  version: 99,
  revision: 99,
  created_at: '2001-01-01T00:00:00.000Z',
  updated_at: '2001-01-01T00:00:00.000Z',
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Created = any;

export interface StoredCase {
  name: string;
  method: Method;
  path: string;
  body: object;
  /** Where the stored object is read back (by A); default `${path}/${id}` of the answer. */
  readBack?: (created: Created) => string;
  /** What the stored object must show: the server's values, not the forged ones. */
  stored: (created: Created) => object;
  /** What the write's own answer must show, when the read-back is elsewhere. */
  answer?: (created: Created) => object;
  /** The fields sent that must be ignored (besides the forged audit fields), for the report. */
  forged: string[];
  status?: number;
  /** False for views without audit fields (lines, payment details, tokens...). */
  audited?: boolean;
}

/** Creates with forged server fields: each is accepted and the forged fields are ignored. */
export function storedCases(a: World, b: World, catalogue: Catalogue): StoredCase[] {
  const audit = forgedAudit(b);
  const mine = { created_by: a.session.userId, updated_by: a.session.userId };
  return [
    {
      name: 'KAM',
      method: 'post',
      path: '/api/customers/kam',
      body: { kam_name: 'mass kam', ...audit, assigned_customers_count: 99 },
      stored: () => ({ kam_name: 'mass kam', assigned_customers_count: 0, ...mine }),
      forged: ['assigned_customers_count'],
    },
    {
      name: 'customer',
      method: 'post',
      path: '/api/customers/customers',
      body: {
        customer_name: 'mass customer',
        customer_type: 'bw',
        ...audit,
        total_billed: '999.00',
        total_paid: '999.00',
        total_due: '-999.00',
        active_entitlements_count: 7,
        last_bill_invoice_date: '2001-01-01',
        other_currency_totals: [{ currency: 'EUR', total_billed: '1.00' }],
        kam_name: 'forged kam',
      },
      stored: () => ({
        customer_name: 'mass customer',
        total_billed: '0.00',
        total_paid: '0.00',
        total_due: '0.00',
        active_entitlements_count: 0,
        last_bill_invoice_date: null,
        other_currency_totals: [],
        kam_name: null,
        ...mine,
      }),
      forged: [
        'total_billed',
        'total_paid',
        'total_due',
        'active_entitlements_count',
        'last_bill_invoice_date',
        'other_currency_totals',
        'kam_name',
      ],
    },
    {
      name: 'entitlement',
      method: 'post',
      path: '/api/customers/entitlements',
      body: {
        customer_master_id: a.customer,
        ...audit,
        customer_name: 'forged',
        currency: 'EUR',
        details_count: 9,
        active_details_count: 9,
      },
      stored: () => ({
        customer_master_id: a.customer,
        customer_name: `${a.marker}-customer`,
        currency: 'USD',
        details_count: 0,
        active_details_count: 0,
        ...mine,
      }),
      forged: ['customer_name', 'currency', 'details_count', 'active_details_count'],
    },
    {
      name: 'entitlement detail',
      method: 'post',
      path: '/api/customers/entitlement-details',
      body: {
        cust_entitlement_id: a.entitlement,
        bandwidth_type: 'cdn',
        mbps: 2,
        unit_price: '3.00',
        start_date: '2025-03-01',
        ...audit,
        customer_id: b.customer,
        currency: 'EUR',
      },
      stored: () => ({
        cust_entitlement_id: a.entitlement,
        customer_id: a.customer,
        currency: 'USD',
        type: 'bw',
        ...mine,
      }),
      forged: ['customer_id', 'currency'],
    },
    {
      name: 'package',
      method: 'post',
      path: '/api/packages/packages',
      body: {
        package_name: 'mass package',
        package_type: 'soho',
        ...audit,
        pricings_count: 4,
        active_pricing: { rate: '0.01' },
        pricings: [{ rate: '0.01' }],
      },
      stored: () => ({ pricings_count: 0, active_pricing: null, pricings: [], ...mine }),
      forged: ['pricings_count', 'active_pricing', 'pricings'],
    },
    {
      name: 'package pricing',
      method: 'post',
      path: '/api/packages/package-pricings',
      body: {
        package_master_id: a.pkg,
        rate: '12.00',
        // before the package's open-ended pricing from 2025-01-01: windows may not overlap
        val_start_at: '2024-01-01',
        val_end_at: '2024-12-31',
        ...audit,
        currency: 'EUR',
      },
      stored: () => ({ package_master_id: a.pkg, rate: '12.00', currency: 'USD', ...mine }),
      forged: ['currency'],
    },
    {
      name: 'utility information',
      method: 'post',
      path: '/api/utility/utility-info',
      body: {
        company_name: 'mass utility',
        ...audit,
        details: [{ name: 'forged' }],
        active_details: [{ name: 'forged' }],
      },
      stored: () => ({ details: [], active_details: [], ...mine }),
      forged: ['details', 'active_details'],
    },
    {
      name: 'utility detail',
      method: 'post',
      path: '/api/utility/utility-details',
      body: {
        utility_master_id: a.utilityInfo,
        type: 'nagad',
        name: 'mass wallet',
        number: '01700000000',
        ...audit,
      },
      stored: () => ({ utility_master_id: a.utilityInfo, ...mine }),
      forged: [],
    },
    {
      name: 'invoice',
      method: 'post',
      path: '/api/bills/invoices',
      body: {
        customer_id: a.customer,
        status: 'draft',
        details: [{ sub_total: '100.00', vat_rate: 10 }],
        ...audit,
        invoice_number: 'INV-999999',
        number_seq: 999999,
        number_key: 'forged',
        billing_run_id: b.billingRun,
        bill_number: 'forged',
        sub_total: '0.01',
        vat_amount: '0.00',
        discount_amount: '99.00',
        total_bill_amount: '0.01',
        total_amount: '0.01',
        total_minor: 1,
        total_paid_amount: '999.00',
        paid_minor: 99900,
        total_balance_due: '0.00',
        balance_due: '0.00',
        applied_payments: [{ payment_id: 'forged', amount_minor: 1 }],
      },
      stored: () => ({
        status: 'draft',
        invoice_number: null,
        billing_run_id: null,
        bill_number: null,
        sub_total: '100.00',
        vat_amount: '10.00',
        discount_amount: '0.00',
        total_bill_amount: '110.00',
        total_paid_amount: '0.00',
        total_balance_due: '110.00',
        ...mine,
      }),
      forged: [
        'invoice_number',
        'number_seq',
        'number_key',
        'billing_run_id',
        'bill_number',
        'sub_total',
        'vat_amount',
        'discount_amount',
        'total_bill_amount',
        'total_amount',
        'total_minor',
        'total_paid_amount',
        'paid_minor',
        'total_balance_due',
        'balance_due',
        'applied_payments',
      ],
    },
    {
      name: 'invoice detail',
      method: 'post',
      path: '/api/bills/invoice-details',
      body: {
        invoice_master_id: a.draftInvoice,
        sub_total: '20.00',
        vat_rate: 10,
        ...audit,
        vat_amount: '999.00',
        discount_amount: '5.00',
        line_total: '0.01',
      },
      stored: () => ({
        invoice_master_id: a.draftInvoice,
        sub_total: '20.00',
        vat_amount: '2.00',
        discount_amount: '0.00',
        line_total: '22.00',
      }),
      forged: ['vat_amount', 'discount_amount', 'line_total'],
      audited: false,
    },
    {
      name: 'payment',
      method: 'post',
      path: '/api/payments/payments',
      body: {
        invoice_master_id: a.issuedInvoice,
        payment_method: 'cash',
        amount: '10.00',
        ...audit,
        customer_id: b.customer,
        refunded_amount: '10.00',
        refunds: [{ id: 'forged', amount: '10.00' }],
        voided_at: '2001-01-01T00:00:00.000Z',
        void_reason: 'forged',
        completed_at: '2001-01-01T00:00:00.000Z',
      },
      stored: () => ({
        invoice_master_id: a.issuedInvoice,
        customer_id: a.customer,
        amount: '10.00',
        status: 'completed',
        refunded_amount: '0.00',
        refunds: [],
        voided_at: null,
        void_reason: null,
        ...mine,
      }),
      forged: [
        'customer_id',
        'refunded_amount',
        'refunds',
        'voided_at',
        'void_reason',
        'completed_at',
      ],
    },
    {
      name: 'payment detail',
      method: 'post',
      path: '/api/payments/payment-details',
      body: {
        payment_master_id: a.payment,
        pay_amount: '5.00',
        ...audit,
        invoice_master_id: b.issuedInvoice,
        currency: 'EUR',
      },
      stored: () => ({
        payment_master_id: a.payment,
        invoice_master_id: a.issuedInvoice,
        pay_amount: '5.00',
        currency: 'USD',
        status: 'completed',
      }),
      forged: ['invoice_master_id', 'currency'],
      audited: false,
    },
    {
      name: 'billing run',
      method: 'post',
      path: '/api/bills/billing-runs',
      status: 202,
      body: {
        period_start: '2025-05-01',
        period_end: '2025-05-31',
        ...audit,
        status: 'completed',
        total: 99,
        generated: 99,
        skipped: 99,
        failed: 0,
        chunks_total: 1,
        chunks_done: 1,
        errors: [],
        completed_at: '2001-01-01T00:00:00.000Z',
      },
      stored: () => ({ generated: 0, skipped: 0, failed: 0, ...mine }),
      forged: [
        'status',
        'total',
        'generated',
        'skipped',
        'chunks_total',
        'chunks_done',
        'completed_at',
      ],
    },
    {
      name: 'API token',
      method: 'post',
      path: '/api/auth/api-tokens',
      readBack: () => '/api/auth/api-tokens',
      body: {
        name: 'mass token',
        ...audit,
        platform: true,
        pa: true,
        revoked_at: null,
      },
      stored: (created) => ({
        results: expect.arrayContaining([
          expect.objectContaining({
            id: created.id,
            platform: false,
            created_by: a.session.userId,
          }),
        ]),
      }),
      forged: ['platform', 'pa'],
      audited: false,
    },
    {
      name: 'credit purchase',
      method: 'post',
      path: `/v1/billing/credit-packages/${catalogue.creditPackageId}/purchase`,
      readBack: (created) => `/v1/billing/invoices/${created.invoice_id}`,
      body: {
        ...audit,
        price: '0.01',
        credits: 999999,
        status: 'granted',
        package_id: 'forged',
        invoice_id: b.purchaseInvoice,
      },
      answer: () => ({
        package_id: catalogue.creditPackageId,
        price: '5.00',
        credits: 100,
        status: 'pending',
      }),
      stored: () => ({
        customer_id: a.session.tenantId,
        status: 'unpaid',
        total_bill_amount: '5.00',
        total_paid_amount: '0.00',
      }),
      forged: ['price', 'credits', 'status', 'package_id', 'invoice_id'],
      audited: false,
    },
    {
      name: 'team member',
      method: 'post',
      path: '/v1/account/team',
      readBack: () => '/v1/account/team',
      body: {
        email: `${a.label}mass${Date.now()}@example.com`,
        role: 'viewer',
        ...audit,
        is_staff: true,
        is_active: false,
        date_joined: '2001-01-01T00:00:00.000Z',
      },
      stored: (created) => ({
        results: expect.arrayContaining([
          expect.objectContaining({ id: created.member.id, role: 'viewer', is_staff: false }),
        ]),
      }),
      forged: ['is_staff', 'date_joined'],
      audited: false,
    },
    {
      name: 'cart item',
      method: 'post',
      path: '/api/cart',
      readBack: () => '/api/cart',
      body: {
        plan: catalogue.planId,
        ...audit,
        unit_price: '0.01',
        amount: '0.01',
        total: '0.01',
        currency: 'EUR',
        name: 'forged',
      },
      stored: () => ({
        currency: 'USD',
        items: expect.arrayContaining([
          expect.objectContaining({ plan: catalogue.planId, unit_price: '10.00', amount: '10.00' }),
        ]),
      }),
      forged: ['unit_price', 'amount', 'total', 'currency', 'name'],
      audited: false,
    },
    {
      name: 'ledger balance entry',
      method: 'post',
      path: `/api/billing/${a.customer}/balance`,
      readBack: () => `/api/billing/${a.customer}/balance`,
      body: {
        amount: '3.00',
        ...audit,
        customer_id: b.customer,
        profile: b.customer,
        orig_profile: b.customer,
        dest_profile: b.customer,
        lines: [{ account: `receivable:${b.customer}`, debit: '3.00', credit: '0.00' }],
        source: { key: 'forged' },
      },
      answer: () => ({
        transaction: expect.objectContaining({ kind: 'charge', amount: '3.00' }),
        balance: expect.objectContaining({ profile: a.customer }),
      }),
      stored: () => ({ profile: a.customer }),
      forged: ['customer_id', 'profile', 'orig_profile', 'dest_profile', 'lines', 'source'],
      audited: false,
    },
  ];
}

/** Writes whose forged field is a declared field with a closed set of values: refused with 422. */
export function refusedCases(a: World): [string, Method, string, object][] {
  return [
    ['invoice created paid', 'post', '/api/bills/invoices', { status: 'paid', details: [] }],
    ['invoice created void', 'post', '/api/bills/invoices', { status: 'void', details: [] }],
    ['invoice created partial', 'post', '/api/bills/invoices', { status: 'partial' }],
    ['draft patched to paid', 'patch', `/api/bills/invoices/${a.draftInvoice}`, { status: 'paid' }],
    [
      'payment created voided',
      'post',
      '/api/payments/payments',
      {
        invoice_master_id: a.issuedInvoice,
        payment_method: 'cash',
        amount: '1.00',
        status: 'voided',
      },
    ],
    [
      'payment patched voided',
      'patch',
      `/api/payments/payments/${a.payment}`,
      { status: 'voided' },
    ],
    [
      'payment patched with an amount',
      'patch',
      `/api/payments/payments/${a.payment}`,
      { amount: '1.00' },
    ],
    [
      'payment patched with a tenant',
      'patch',
      `/api/payments/payments/${a.payment}`,
      {
        tenant_id: 'ten_platform',
      },
    ],
  ];
}

/** A's own objects patched with every field their view shows but their request does not take. */
export interface UpdateCase {
  template: string;
  path: string;
  /** A field the request does take, so the write is a real update. */
  legit: object;
  /**
   * Views of a parent embedded in the answer: the legitimate change shows in them (the line in the
   * invoice's details, its updated_at), so only their other fields must keep their values.
   */
  embedded?: string[];
}

export function updateCases(a: World): UpdateCase[] {
  return [
    {
      template: '/api/customers/kam/{id}',
      path: `/api/customers/kam/${a.kam}`,
      legit: { address: 'patched' },
    },
    {
      template: '/api/customers/customers/{id}',
      path: `/api/customers/customers/${a.customer}`,
      legit: { remarks: 'patched' },
    },
    {
      template: '/api/customers/entitlements/{id}',
      path: `/api/customers/entitlements/${a.entitlement}`,
      legit: { remarks: 'patched' },
    },
    {
      template: '/api/customers/entitlement-details/{id}',
      path: `/api/customers/entitlement-details/${a.detail}`,
      legit: { remarks: 'patched' },
    },
    {
      template: '/api/packages/packages/{id}',
      path: `/api/packages/packages/${a.pkg}`,
      legit: { description: 'patched' },
    },
    {
      template: '/api/packages/package-pricings/{id}',
      path: `/api/packages/package-pricings/${a.pricing}`,
      legit: { description: 'patched' },
    },
    {
      template: '/api/utility/utility-info/{id}',
      path: `/api/utility/utility-info/${a.utilityInfo}`,
      legit: { invoice_footer: 'patched' },
    },
    {
      template: '/api/utility/utility-details/{id}',
      path: `/api/utility/utility-details/${a.utilityDetail}`,
      legit: { remarks: 'patched' },
    },
    {
      template: '/api/bills/invoices/{id}',
      path: `/api/bills/invoices/${a.draftInvoice}`,
      legit: { remarks: 'patched' },
    },
    {
      template: '/api/bills/invoice-details/{id}',
      path: `/api/bills/invoice-details/${a.draftLine}`,
      legit: { remarks: 'patched' },
      embedded: ['invoice'],
    },
    {
      template: '/api/payments/payments/{id}',
      path: `/api/payments/payments/${a.payment}`,
      legit: { remarks: 'patched' },
    },
    {
      template: '/v1/account/settings',
      path: '/v1/account/settings',
      legit: { tax_id: 'patched' },
    },
    {
      template: '/api/profile/{provider}/billable-metrics/{code}',
      path: `/api/profile/${a.slug}/billable-metrics/${a.metric}`,
      legit: { name: 'patched' },
    },
    {
      template: '/api/profile/{provider}/plans/{plan}',
      path: `/api/profile/${a.slug}/plans/${a.providerPlan}`,
      legit: { description: 'patched' },
    },
    {
      template: '/api/profile/{provider}/plans/{plan}/subscriptions/{subscriber}',
      path: `/api/profile/${a.slug}/plans/${a.providerPlan}/subscriptions/${a.customer}`,
      legit: { seats: 2 },
    },
    {
      template: '/api/webhooks/endpoints/{id}',
      path: `/api/webhooks/endpoints/${a.webhookEndpoint}`,
      legit: { description: 'patched' },
    },
  ];
}

/** An embedded view without what a legitimate change of its child moves. */
export function withoutChildTrace(view: unknown): unknown {
  if (view === null || typeof view !== 'object') return view;
  const {
    updated_at: _at,
    updated_by: _by,
    details: _details,
    ...rest
  } = view as Record<string, unknown>;
  return rest;
}

/** A value of the same kind as `v` that no server would compute: what a forger sends. */
export function junkLike(v: unknown): unknown {
  if (typeof v === 'number') return 987654;
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return [{ forged: true }];
  if (v !== null && typeof v === 'object') return { forged: true };
  return 'forged';
}
