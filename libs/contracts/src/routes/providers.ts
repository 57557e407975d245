import { z } from 'zod';
import {
  billableMetricRequest,
  billableMetricUpdate,
  billableMetricView,
  cancelSubscriptionQuery,
  changeSubscriptionRequest,
  providerPlanRequest,
  providerPlanUpdate,
  providerPlanView,
  providerSubscriptionView,
} from '../api/providers';
import { renewalRunView, startRenewalRunRequest } from '../api/renewal-runs';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { defineRoute, putAndPatch } from '../route';

/**
 * Every tenant a provider (issue 18): `{provider}` is a profile slug (the tenant's subdomain); the
 * provider's own members read, its owner/admin write; another tenant's provider is a 404. The
 * platform's plans stay seed 003's `/api/saas/plans` (a later part moves them here).
 */
const tag = 'providers';
const read = 'plans:read';
const write = 'plans:update';
const METRIC = '/api/profile/{provider}/billable-metrics/{code}';
const PLAN = '/api/profile/{provider}/plans/{plan}';
const SUBSCRIPTION = '/api/profile/{provider}/plans/{plan}/subscriptions/{subscriber}';
const RUNS = '/api/profile/{provider}/renewal-runs';

const metricUpdate = putAndPatch('billableMetrics', {
  path: METRIC,
  tag,
  summary: 'Update a billable metric (name, aggregation, field)',
  permission: write,
  body: billableMetricUpdate,
  response: billableMetricView,
});

const planUpdate = putAndPatch('plans', {
  path: PLAN,
  tag,
  summary:
    'Update a plan (any subset); a change of currency, interval, anchor day, trial days or charges makes a new version',
  permission: write,
  body: providerPlanUpdate,
  response: providerPlanView,
});

export const PROVIDER_ROUTES = {
  listMetrics: defineRoute({
    method: 'get',
    operationId: 'billableMetrics.list',
    path: '/api/profile/{provider}/billable-metrics',
    tag,
    summary: "The provider's billable metrics (search: code, name)",
    permission: read,
    query: listParams(),
    response: pageSchema(billableMetricView),
  }),
  createMetric: defineRoute({
    method: 'post',
    operationId: 'billableMetrics.create',
    path: '/api/profile/{provider}/billable-metrics',
    tag,
    summary: 'Create a billable metric (code unique per provider)',
    permission: write,
    body: billableMetricRequest,
    status: 201,
    response: billableMetricView,
  }),
  getMetric: defineRoute({
    method: 'get',
    operationId: 'billableMetrics.get',
    path: METRIC,
    tag,
    summary: 'One billable metric',
    permission: read,
    response: billableMetricView,
  }),
  replaceMetric: metricUpdate.replace,
  updateMetric: metricUpdate.update,
  deleteMetric: defineRoute({
    method: 'delete',
    operationId: 'billableMetrics.delete',
    path: METRIC,
    tag,
    summary: "Delete a billable metric (409 while a plan's current version charges it)",
    permission: write,
    response: z.object({ deleted: z.boolean() }),
  }),
  listPlans: defineRoute({
    method: 'get',
    operationId: 'plans.list',
    path: '/api/profile/{provider}/plans',
    tag,
    summary: "The provider's plans (search: code, name)",
    permission: read,
    query: listParams({ is_active: f.flag() }),
    response: pageSchema(providerPlanView),
  }),
  createPlan: defineRoute({
    method: 'post',
    operationId: 'plans.create',
    path: '/api/profile/{provider}/plans',
    tag,
    summary: 'Create a plan: terms, charges (flat, per seat, usage) and limits; version 1',
    permission: write,
    body: providerPlanRequest,
    status: 201,
    response: providerPlanView,
  }),
  getPlan: defineRoute({
    method: 'get',
    operationId: 'plans.get',
    path: PLAN,
    tag,
    summary: 'One plan (id or code) with its current version',
    permission: read,
    response: providerPlanView,
  }),
  replacePlan: planUpdate.replace,
  updatePlan: planUpdate.update,
  deletePlan: defineRoute({
    method: 'delete',
    operationId: 'plans.delete',
    path: PLAN,
    tag,
    summary:
      'Delete a plan nobody subscribes to (409 while it has live subscriptions: deactivate it)',
    permission: write,
    response: z.object({ deleted: z.boolean() }),
  }),
  listPlanSubscriptions: defineRoute({
    method: 'get',
    operationId: 'subscriptions.list',
    path: '/api/profile/{provider}/plans/{plan}/subscriptions',
    tag,
    summary: "The plan's subscriptions, newest first (search: printable_name, slug, status)",
    permission: read,
    query: listParams(),
    response: pageSchema(providerSubscriptionView),
  }),
  getSubscription: defineRoute({
    method: 'get',
    operationId: 'subscriptions.get',
    path: SUBSCRIPTION,
    tag,
    summary: "A subscriber's subscription to the plan (organization slug or customer id)",
    permission: read,
    response: providerSubscriptionView,
  }),
  changeSubscription: defineRoute({
    method: 'patch',
    operationId: 'subscriptions.change',
    path: SUBSCRIPTION,
    tag,
    summary:
      'Change plan, seats or spend limit: an upgrade at once (its prorated difference invoiced now), a downgrade at the period end or at once with a credit',
    permission: write,
    body: changeSubscriptionRequest,
    response: providerSubscriptionView,
  }),
  cancelSubscription: defineRoute({
    method: 'delete',
    operationId: 'subscriptions.cancel',
    path: SUBSCRIPTION,
    tag,
    summary:
      'Cancel: at the period end by default, `?at=now` ends it now; a repeat changes nothing',
    permission: write,
    query: cancelSubscriptionQuery,
    response: providerSubscriptionView,
  }),
  startRenewalRun: defineRoute({
    method: 'post',
    operationId: 'renewalRuns.start',
    path: RUNS,
    tag,
    summary:
      'Renew every live subscription whose period ended by now less the usage grace (202; the tenants service works in the background); 409 while another run is queued or running',
    permission: write,
    body: startRenewalRunRequest,
    bodyOptional: true,
    status: 202,
    response: renewalRunView,
  }),
  listRenewalRuns: defineRoute({
    method: 'get',
    operationId: 'renewalRuns.list',
    path: RUNS,
    tag,
    summary: "The provider's renewal runs, newest first",
    permission: read,
    query: listParams(),
    response: pageSchema(renewalRunView),
  }),
  getRenewalRun: defineRoute({
    method: 'get',
    operationId: 'renewalRuns.get',
    path: `${RUNS}/{id}`,
    tag,
    summary:
      'A renewal run: status, progress (subscriptions done, due, renewed, failed) and errors',
    permission: read,
    response: renewalRunView,
  }),
};
