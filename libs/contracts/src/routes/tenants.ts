import { z } from 'zod';
import {
  createPlanRequest,
  createTenantRequest,
  planView,
  recordUsageRequest,
  subscriptionView,
  tenantDetailView,
  tenantView,
  updatePlanRequest,
  updateSubscriptionRequest,
  updateTenantRequest,
  usageView,
  TENANT_STATUSES,
} from '../api/tenants';
import { grantProviderSubscriptionRequest, providerSubscriptionView } from '../api/providers';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { defineRoute, putAndPatch } from '../route';

const planUpdate = putAndPatch('saasPlans', {
  path: '/api/saas/plans/{id}',
  tag: 'saas',
  summary: 'Update a plan (any subset of fields)',
  body: updatePlanRequest,
  response: planView,
  platformAdmin: true,
});

const tenantUpdate = putAndPatch('tenants', {
  path: '/api/saas/tenants/{id}',
  tag: 'saas',
  summary: 'Update company name, plan or status',
  body: updateTenantRequest,
  response: tenantView,
  platformAdmin: true,
});

const seedList = <T extends z.ZodType>(key: string, item: T) =>
  z.object({
    results: z.array(item),
    count: z.number(),
    page: z.number(),
    per_page: z.number(),
    [key]: z.array(item),
    total: z.number(),
  });

/** The tenants service's public routes (seed 003; platform administrators unless noted). */
/** The tenants service's public routes (seed 003 operators; seed 001 subscriptions). */
export const TENANT_ROUTES = {
  listPlans: defineRoute({
    method: 'get',
    operationId: 'saasPlans.list',
    path: '/api/saas/plans',
    tag: 'saas',
    summary: 'List plans (search: name, billing_cycle)',
    query: listParams({ is_active: f.flag() }),
    response: seedList('plans', planView),
    platformAdmin: true,
  }),
  createPlan: defineRoute({
    method: 'post',
    operationId: 'saasPlans.create',
    path: '/api/saas/plans',
    tag: 'saas',
    summary: 'Create a plan with prices and limits',
    body: createPlanRequest,
    status: 201,
    response: planView,
    platformAdmin: true,
  }),
  getPlan: defineRoute({
    method: 'get',
    operationId: 'saasPlans.get',
    path: '/api/saas/plans/{id}',
    tag: 'saas',
    summary: 'One plan',
    response: planView,
    platformAdmin: true,
  }),
  replacePlan: planUpdate.replace,
  updatePlan: planUpdate.update,
  deletePlan: defineRoute({
    method: 'delete',
    operationId: 'saasPlans.delete',
    path: '/api/saas/plans/{id}',
    tag: 'saas',
    summary: 'Delete an unused plan (409 when in use: deactivate it)',
    response: z.object({ deleted: z.boolean() }),
    platformAdmin: true,
  }),
  listTenants: defineRoute({
    method: 'get',
    operationId: 'tenants.list',
    path: '/api/saas/tenants',
    tag: 'saas',
    summary:
      'List tenants (status: active, inactive, trial, suspended) (search: company_name, subdomain, status)',
    query: listParams({ status: f.oneOf(TENANT_STATUSES) }),
    response: seedList('tenants', tenantView),
    platformAdmin: true,
  }),
  createTenant: defineRoute({
    method: 'post',
    operationId: 'tenants.create',
    path: '/api/saas/tenants',
    tag: 'saas',
    summary: 'Create a tenant and its owner (an invitation token when no password)',
    body: createTenantRequest,
    status: 201,
    response: tenantView.extend({
      owner_user_id: z.string().nullable(),
      owner_invitation_token: z.string().optional(),
    }),
    platformAdmin: true,
  }),
  getTenant: defineRoute({
    method: 'get',
    operationId: 'tenants.get',
    path: '/api/saas/tenants/{id}',
    tag: 'saas',
    summary: 'One tenant with its usage',
    response: tenantDetailView,
    platformAdmin: true,
  }),
  replaceTenant: tenantUpdate.replace,
  updateTenant: tenantUpdate.update,
  deleteTenant: defineRoute({
    method: 'delete',
    operationId: 'tenants.delete',
    path: '/api/saas/tenants/{id}',
    tag: 'saas',
    summary: 'Delete a tenant: all its data, in every service',
    response: z.object({ deleted: z.boolean() }),
    platformAdmin: true,
  }),
  getSubscription: defineRoute({
    method: 'get',
    operationId: 'tenantSubscriptions.get',
    path: '/api/saas/tenants/{id}/subscription',
    tag: 'saas',
    summary: "The tenant's subscription (also for the tenant's own owner/admin)",
    response: subscriptionView,
  }),
  updateSubscription: defineRoute({
    method: 'put',
    operationId: 'tenantSubscriptions.update',
    path: '/api/saas/tenants/{id}/subscription',
    tag: 'saas',
    summary: 'Change plan and/or expiry',
    body: updateSubscriptionRequest,
    response: subscriptionView,
    platformAdmin: true,
  }),
  getUsage: defineRoute({
    method: 'get',
    operationId: 'tenantUsage.get',
    path: '/api/saas/tenants/{id}/usage',
    tag: 'saas',
    summary: 'Used / limit / percentage per metric (also for the tenant itself)',
    response: usageView,
  }),
  recordUsage: defineRoute({
    method: 'post',
    operationId: 'tenantUsage.record',
    path: '/api/saas/tenants/{id}/usage',
    tag: 'saas',
    summary: 'Report usage of a metric Ledgerline does not own; idempotent by event_id',
    body: recordUsageRequest,
    status: 201,
    response: z.object({ recorded: z.boolean() }),
  }),
  grantSubscription: defineRoute({
    method: 'post',
    operationId: 'subscriptions.grant',
    path: '/api/profile/{provider}/plans/{plan}/subscriptions',
    tag: 'profiles',
    summary:
      'Seed 001: subscribe an organization (by slug) or a customer of the provider to a plan (id or code); a live one is answered again. The provider\'s owner/admin (platform admins for "platform")',
    permission: 'plans:update',
    body: grantProviderSubscriptionRequest,
    status: 201,
    response: providerSubscriptionView,
  }),
  subscriberSubscriptions: defineRoute({
    method: 'get',
    operationId: 'profiles.listSubscriptions',
    path: '/api/profile/{subscriber}/subscriptions',
    tag: 'profiles',
    summary:
      "Seed 001: an organization's subscriptions, to the platform and to every other provider (its members and platform admins)",
    response: pageSchema(providerSubscriptionView),
  }),
  providerSubscribers: defineRoute({
    method: 'get',
    operationId: 'subscribers.list',
    path: '/api/profile/{provider}/subscribers',
    tag: 'profiles',
    summary: "Seed 001: the provider's subscribers (search: printable_name, slug, status)",
    query: listParams(),
    permission: 'plans:read',
    response: pageSchema(providerSubscriptionView),
  }),
  providerActiveSubscribers: defineRoute({
    method: 'get',
    operationId: 'subscribers.listActive',
    path: '/api/profile/{provider}/subscribers/active',
    tag: 'profiles',
    summary:
      'Seed 001: active subscriptions (active or trial) (search: printable_name, slug, status)',
    query: listParams(),
    permission: 'plans:read',
    response: pageSchema(providerSubscriptionView),
  }),
  providerChurnedSubscribers: defineRoute({
    method: 'get',
    operationId: 'subscribers.listChurned',
    path: '/api/profile/{provider}/subscribers/churned',
    tag: 'profiles',
    summary:
      'Seed 001: churned subscriptions (canceled, ended; the platform: inactive, suspended) (search: printable_name, slug, status)',
    query: listParams(),
    permission: 'plans:read',
    response: pageSchema(providerSubscriptionView),
  }),
};
