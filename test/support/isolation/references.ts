import type { Method } from './http';
import type { World } from './world';

export interface ReferenceAttack {
  method: Method;
  path: string;
  body: object;
}

/**
 * A's creates and updates whose body names one of B's objects as a parent or link. `scratchDraft`
 * is a draft invoice of A's that the patches aim at.
 */
export function referenceAttacks(a: World, b: World, scratchDraft: string): ReferenceAttack[] {
  const line = { sub_total: '1.00' };
  return [
    {
      method: 'post',
      path: '/api/customers/customers',
      body: { customer_name: 'ref', customer_type: 'bw', kam_id: b.kam },
    },
    { method: 'patch', path: `/api/customers/customers/${a.customer}`, body: { kam_id: b.kam } },
    {
      method: 'post',
      path: '/api/customers/entitlements',
      body: { customer_master_id: b.customer },
    },
    {
      method: 'patch',
      path: `/api/customers/entitlements/${a.entitlement}`,
      body: { customer_master_id: b.customer },
    },
    {
      method: 'post',
      path: '/api/customers/entitlement-details',
      body: {
        cust_entitlement_id: b.entitlement,
        bandwidth_type: 'ipt',
        mbps: 1,
        unit_price: 1,
        start_date: '2025-01-01',
      },
    },
    {
      method: 'patch',
      path: `/api/customers/entitlement-details/${a.detail}`,
      body: { cust_entitlement_id: b.entitlement },
    },
    {
      method: 'post',
      path: '/api/packages/package-pricings',
      body: { package_master_id: b.pkg, rate: '1.00', val_start_at: '2025-01-01' },
    },
    {
      method: 'patch',
      path: `/api/packages/package-pricings/${a.pricing}`,
      body: { package_master_id: b.pkg },
    },
    {
      method: 'post',
      path: '/api/utility/utility-details',
      body: { utility_master_id: b.utilityInfo, type: 'bank', name: 'ref', number: '1' },
    },
    {
      method: 'patch',
      path: `/api/utility/utility-details/${a.utilityDetail}`,
      body: { utility_master_id: b.utilityInfo },
    },
    {
      method: 'post',
      path: '/api/bills/invoices',
      body: { customer_entitlement_master_id: b.entitlement, auto_calculate: true },
    },
    {
      method: 'post',
      path: '/api/bills/invoices/auto_generate',
      body: { entitlement_id: b.entitlement },
    },
    {
      method: 'post',
      path: '/api/bills/invoices',
      body: { customer_id: b.customer, details: [line] },
    },
    // issue 13 item 7: an invoice line naming B's entitlement row
    {
      method: 'post',
      path: '/api/bills/invoices',
      body: { details: [{ ...line, entitlement_details_id: b.detail }] },
    },
    {
      method: 'post',
      path: '/api/bills/invoice-details',
      body: { invoice_master_id: scratchDraft, entitlement_details_id: b.detail, ...line },
    },
    {
      method: 'patch',
      path: `/api/bills/invoices/${scratchDraft}`,
      body: { details: [{ ...line, entitlement_details_id: b.detail }] },
    },
    {
      // issued, so billing posts it to its ledger and customers hear of it: B's customer must not
      method: 'post',
      path: '/api/bills/invoices',
      body: { customer_id: b.customer, status: 'unpaid', details: [line] },
    },
    {
      method: 'post',
      path: '/api/bills/invoices',
      body: { information_master_id: b.utilityInfo, details: [line] },
    },
    {
      method: 'patch',
      path: `/api/bills/invoices/${scratchDraft}`,
      body: { customer_id: b.customer },
    },
    {
      method: 'patch',
      path: `/api/bills/invoices/${scratchDraft}`,
      body: { information_master_id: b.utilityInfo },
    },
    {
      method: 'patch',
      path: `/api/bills/invoices/${scratchDraft}`,
      body: { customer_entitlement_master_id: b.entitlement },
    },
    {
      method: 'post',
      path: '/api/bills/invoice-details',
      body: { invoice_master_id: b.draftInvoice, ...line },
    },
    {
      method: 'patch',
      path: `/api/bills/invoice-details/${a.draftLine}`,
      body: { invoice_master_id: b.draftInvoice },
    },
    {
      method: 'post',
      path: '/api/payments/payments',
      body: { invoice_master_id: b.issuedInvoice, payment_method: 'cash', amount: '1.00' },
    },
    {
      method: 'post',
      path: '/api/payments/payments',
      body: { invoice_master_id: b.purchaseInvoice, payment_method: 'cash', amount: '1.00' },
    },
    {
      method: 'post',
      path: '/api/payments/payment-details',
      body: { payment_master_id: b.payment, pay_amount: '1.00' },
    },
    {
      method: 'post',
      path: '/v1/billing/payments',
      body: { invoice_id: b.purchaseInvoice, payment_method: 'card' },
    },
    {
      method: 'post',
      path: '/v1/billing/payments',
      body: { invoice_id: b.issuedInvoice, payment_method: 'card' },
    },
    {
      method: 'post',
      path: '/api/payments/payments',
      body: {
        invoice_master_id: a.issuedInvoice,
        payment_method: 'cash',
        amount: '0.01',
        customer_entitlement_master_id: b.entitlement,
      },
    },
    // references inside nested arrays and on lines
    {
      method: 'post',
      path: '/api/bills/invoices',
      body: {
        customer_id: a.customer,
        details: [line, { ...line, entitlement_details_id: b.detail }],
      },
    },
    {
      method: 'post',
      path: '/api/bills/invoice-details',
      body: { invoice_master_id: scratchDraft, ...line, entitlement_details_id: b.detail },
    },
    {
      method: 'patch',
      path: `/api/bills/invoice-details/${a.draftLine}`,
      body: { entitlement_details_id: b.detail },
    },
    {
      method: 'post',
      path: `/api/customers/entitlements/${a.entitlement}/details`,
      body: {
        soho_details: [
          { package_master_id: a.pkg, start_date: '2025-01-01' },
          { package_master_id: b.pkg, start_date: '2025-01-01' },
        ],
      },
    },
    {
      method: 'post',
      path: '/api/customers/entitlement-details',
      body: {
        cust_entitlement_id: a.entitlement,
        package_master_id: b.pkg,
        package_pricing_id: b.pricing,
        start_date: '2025-01-01',
      },
    },
    { method: 'post', path: '/api/auth/switch', body: { tenant_id: b.session.tenantId } },
    {
      method: 'post',
      path: `/api/customers/entitlements/${a.entitlement}/details`,
      body: {
        entitlement_master_id: b.entitlement,
        bandwidth_details: [
          { bandwidth_type: 'nix', mbps: 1, unit_price: 1, start_date: '2025-01-01' },
        ],
      },
    },
  ];
}

/** `body` with every value that is one of `owner`'s secrets replaced by `swap(value)`. */
export function swapSecrets(body: object, owner: World, swap: (v: string) => string): object {
  return JSON.parse(
    JSON.stringify(body, (_k, v: unknown) =>
      typeof v === 'string' && owner.secrets.includes(v) ? swap(v) : v,
    ),
  );
}
