import { api, idempotencyKey, unwrap } from './http';
import type { paths } from '@ledgerline/api-client';

/** The JSON body a route takes, from the OpenAPI document. */
type Body<P extends keyof paths, M extends 'post' | 'patch'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/**
 * Seed 000's API client, under the names its pages use, each on the endpoint the gateway serves
 * (BRIEF.md's endpoint map), plus the calls the sales and admin pages make. Every function answers
 * the success envelope's `data` or throws an ApiError carrying the error envelope's message.
 */

/** List filters as the page holds them; empty values are dropped (the API treats them as absent). */
export type ListQuery = Record<string, string | number | undefined>;
const query = (q: ListQuery = {}) =>
  Object.fromEntries(
    Object.entries(q)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  ) as never;
const byId = (id: string) => ({ params: { path: { id } } });
const moneyPost = () => ({ 'Idempotency-Key': idempotencyKey() });

// ------------------------------------------------------------------ seed 000: billing and account
export const getCreditBalance = () => unwrap(api.GET('/v1/billing/credits/balance/balance'));
export const getCreditTransactions = (q?: ListQuery) =>
  unwrap(api.GET('/v1/billing/transactions', { params: { query: query(q) } }));
export const getCreditUsage = (q?: ListQuery) =>
  unwrap(api.GET('/v1/billing/credits/usage', { params: { query: query(q) } }));
export const getInvoices = (q?: ListQuery) =>
  unwrap(api.GET('/v1/billing/invoices', { params: { query: query(q) } }));
/** The platform invoice's PDF, as a Blob the page offers for download. */
export async function getInvoicePdf(id: string): Promise<Blob> {
  const { response } = await api.GET('/v1/billing/invoices/{id}/pdf', {
    ...byId(id),
    parseAs: 'blob',
  });
  if (!response.ok) await unwrap(Promise.resolve({ response, error: await response.json() }));
  return response.clone().blob();
}
export const getPayments = (q?: ListQuery) =>
  unwrap(api.GET('/v1/billing/payments', { params: { query: query(q) } }));
export const getPaymentMethods = () => unwrap(api.GET('/v1/billing/payment-methods'));
export const getCreditPackages = () => unwrap(api.GET('/v1/billing/credit-packages'));
export const purchaseCreditPackage = (data: { id: string }) =>
  unwrap(
    api.POST('/v1/billing/credit-packages/{id}/purchase', {
      params: { path: { id: data.id }, header: moneyPost() as never },
    }),
  );
export const getUsageAnalytics = (days: number) =>
  unwrap(api.GET('/v1/account/usage/analytics', { params: { query: query({ days }) } }));
export const getAccountSettings = () => unwrap(api.GET('/v1/account/settings'));
export type AccountSettingsUpdate = Body<'/v1/account/settings', 'patch'>;
export const updateAccountSettings = (data: AccountSettingsUpdate) =>
  unwrap(api.PATCH('/v1/account/settings', { body: data }));
export const getTeamMembers = () => unwrap(api.GET('/v1/account/team'));
export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const inviteTeamMember = (email: string, role: Role = 'member') =>
  unwrap(api.POST('/v1/account/team', { body: { email, role } }));
export const changeTeamMemberRole = (id: string, role: Role) =>
  unwrap(api.PATCH('/v1/account/team/{id}', { ...byId(id), body: { role } }));
export const removeTeamMember = (id: string) =>
  unwrap(api.DELETE('/v1/account/team/{id}', byId(id)));

// ------------------------------------------------------------------ identity (seed 001)
export interface Credentials {
  username: string;
  password: string;
}
export const signIn = (c: Credentials & { tenant_id?: string }) =>
  unwrap(api.POST('/api/auth', { body: c }));
export interface Registration extends Credentials {
  email: string;
  full_name: string;
  organization_name: string;
}
export const register = (r: Registration) =>
  unwrap(api.POST('/api/auth/register', { body: { ...r, type: 'organization' } }));
export interface InvitationAcceptance {
  email: string;
  invitation_token: string;
  password: string;
  full_name?: string;
}
export const acceptInvitation = (body: InvitationAcceptance) =>
  unwrap(api.POST('/api/auth/invitations/accept', { body }));
export const getMe = () => unwrap(api.GET('/api/auth/me'));
export const switchTenant = (tenant_id: string) =>
  unwrap(api.POST('/api/auth/switch', { body: { tenant_id } }));
export const signOut = () => unwrap(api.POST('/api/auth/logout'));

// ------------------------------------------------------------------ sales (seed 002)
export const listCustomers = (q?: ListQuery) =>
  unwrap(api.GET('/api/customers/customers', { params: { query: query(q) } }));
export const getCustomer = (id: string) =>
  unwrap(api.GET('/api/customers/customers/{id}', byId(id)));
export type CustomerInput = Body<'/api/customers/customers', 'post'>;
export const createCustomer = (body: CustomerInput) =>
  unwrap(api.POST('/api/customers/customers', { body }));
export const updateCustomer = (id: string, body: Partial<CustomerInput>) =>
  unwrap(api.PATCH('/api/customers/customers/{id}', { ...byId(id), body }));
export const getCustomerEntitlements = (id: string) =>
  unwrap(api.GET('/api/customers/customers/{id}/entitlements', byId(id)));
export const getCustomerInvoices = (id: string) =>
  unwrap(api.GET('/api/customers/customers/{id}/invoices', byId(id)));
export const getCustomerPayments = (id: string) =>
  unwrap(api.GET('/api/customers/customers/{id}/payments', byId(id)));
export const getCustomerBillHistory = (id: string, q?: ListQuery) =>
  unwrap(
    api.GET('/api/customers/customers/{id}/bill_history', {
      params: { path: { id }, query: query(q) },
    }),
  );
export type EntitlementInput = Body<'/api/customers/entitlements', 'post'>;
export const createEntitlement = (body: EntitlementInput) =>
  unwrap(api.POST('/api/customers/entitlements', { body }));
export const listEntitlements = (q?: ListQuery) =>
  unwrap(api.GET('/api/customers/entitlements', { params: { query: query(q) } }));
export const getEntitlement = (id: string) =>
  unwrap(api.GET('/api/customers/entitlements/{id}', byId(id)));
export type DetailRowsInput = Body<'/api/customers/entitlements/{id}/details', 'post'>;
export const addEntitlementDetails = (id: string, body: DetailRowsInput) =>
  unwrap(api.POST('/api/customers/entitlements/{id}/details', { ...byId(id), body }));
export const listKams = (q?: ListQuery) =>
  unwrap(api.GET('/api/customers/kam', { params: { query: query(q) } }));
export const listPackages = (q?: ListQuery) =>
  unwrap(api.GET('/api/packages/packages', { params: { query: query(q) } }));

export const listSalesInvoices = (q?: ListQuery) =>
  unwrap(api.GET('/api/bills/invoices', { params: { query: query(q) } }));
export const getSalesInvoice = (id: string) =>
  unwrap(api.GET('/api/bills/invoices/{id}', byId(id)));
export const autoGenerateInvoice = (entitlement_id: string) =>
  unwrap(api.POST('/api/bills/invoices/auto_generate', { body: { entitlement_id } }));
export const issueInvoice = (id: string) =>
  unwrap(api.POST('/api/bills/invoices/{id}/issue', byId(id)));
export const voidInvoice = (id: string) =>
  unwrap(api.POST('/api/bills/invoices/{id}/void', byId(id)));
export const listSalesPayments = (q?: ListQuery) =>
  unwrap(api.GET('/api/payments/payments', { params: { query: query(q) } }));
export interface PaymentInput {
  invoice_master_id: string;
  amount: string;
  payment_method: string;
  payment_date?: string;
}
export const recordPayment = (body: PaymentInput) =>
  unwrap(
    api.POST('/api/payments/payments', {
      body: { ...body, status: 'completed' },
      params: { header: moneyPost() as never },
    }),
  );
export const listBillingRuns = () => unwrap(api.GET('/api/bills/billing-runs'));
export const startBillingRun = (body: Record<string, unknown>) =>
  unwrap(api.POST('/api/bills/billing-runs', { body: body as never }));
export const getBillingRun = (id: string) =>
  unwrap(api.GET('/api/bills/billing-runs/{id}', byId(id)));

// ------------------------------------------------------------------ platform admin (seed 003)
export const listTenants = (q?: ListQuery) =>
  unwrap(api.GET('/api/saas/tenants', { params: { query: query(q) } }));
export const listPlans = () => unwrap(api.GET('/api/saas/plans'));
export const getTenantSubscription = (id: string) =>
  unwrap(api.GET('/api/saas/tenants/{id}/subscription', byId(id)));
export const getTenantUsage = (id: string) =>
  unwrap(api.GET('/api/saas/tenants/{id}/usage', byId(id)));
