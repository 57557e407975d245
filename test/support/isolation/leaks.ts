import { randomBytes } from 'node:crypto';
import type { Answer } from './http';
import type { World } from './world';

/** The strings of `owner` that appear in `text`: each one is data another tenant must not see. */
export function leakedSecrets(text: string, owner: World): string[] {
  return owner.secrets.filter((s) => text.includes(s));
}

/**
 * The same value for an object that never existed: `cus_x` becomes another `cus_` id, any other
 * secret (a slug, a username) a fresh word. Values that are not the owner's stay as they are.
 */
export function ghostOf(value: string, owner: World): string {
  if (!owner.secrets.includes(value)) return value;
  const random = randomBytes(8).toString('hex');
  const prefix = /^([a-z]+)_/.exec(value)?.[1];
  return prefix ? `${prefix}_${random}` : `ghost-${random}`;
}

/**
 * What an answer tells its reader beyond the data: status, error kind and text, and list size.
 * An answer about B's object must have the same fingerprint as one about an object that never
 * existed, or the difference tells A that B's object exists.
 */
export function fingerprint(res: Answer) {
  return {
    status: res.status,
    type: res.body?.type ?? null,
    error: res.body?.error ?? null,
    count: res.body?.data?.count ?? null,
  };
}

/** B's objects as B reads them: compared before and after A's attack, field for field. */
export function snapshotPaths(b: World): string[] {
  return [
    `/api/customers/kam/${b.kam}`,
    `/api/customers/customers/${b.customer}`,
    `/api/customers/entitlements/${b.entitlement}`,
    `/api/customers/entitlement-details/${b.detail}`,
    `/api/packages/packages/${b.pkg}`,
    `/api/packages/package-pricings/${b.pricing}`,
    `/api/utility/utility-info/${b.utilityInfo}`,
    `/api/utility/utility-details/${b.utilityDetail}`,
    `/api/bills/invoices/${b.draftInvoice}`,
    `/api/bills/invoices/${b.issuedInvoice}`,
    `/api/bills/invoice-details/${b.draftLine}`,
    `/api/bills/invoice-details/${b.issuedLine}`,
    `/api/bills/billing-runs/${b.billingRun}`,
    `/api/payments/payments/${b.payment}`,
    `/api/payments/payment-details/${b.paymentDetail}`,
    `/api/billing/${b.customer}/balance`,
    `/api/billing/transactions?customer_id=${b.customer}`,
    '/api/cart',
    `/v1/billing/invoices/${b.purchaseInvoice}`,
    `/v1/billing/invoices/${b.checkoutInvoice}`,
    '/api/auth/api-tokens',
    '/v1/account/team',
    '/v1/account/settings',
    '/v1/billing/payment-methods',
    `/api/saas/tenants/${b.session.tenantId}/subscription`,
    `/api/profile/${b.slug}/subscriptions`,
    `/api/profile/${b.slug}/billable-metrics/${b.metric}`,
    `/api/profile/${b.slug}/plans/${b.providerPlan}`,
    `/api/profile/${b.slug}/plans/${b.providerPlan}/subscriptions/${b.customer}`,
    `/api/profile/${b.slug}/subscribers`,
  ];
}
