import { z } from 'zod';
import {
  webhookDeliveryDetail,
  webhookDeliveryView,
  webhookEndpointPatch,
  webhookEndpointRequest,
  webhookEndpointView,
  webhookEndpointWithSecret,
} from '../api/webhooks';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { defineRoute } from '../route';
import { WEBHOOK_DELIVERY_STATUSES } from '../api/webhooks';

/**
 * Webhooks (issue 15): a tenant's owner and admins manage its endpoints and read their delivery
 * log; anyone else is a 403, another tenant's endpoint or delivery a 404.
 */
const tag = 'webhooks';
const permission = 'webhooks:manage';
const ENDPOINTS = '/api/webhooks/endpoints';
const ENDPOINT = '/api/webhooks/endpoints/{id}';
const DELIVERY = '/api/webhooks/deliveries/{id}';

export const WEBHOOK_ROUTES = {
  listEndpoints: defineRoute({
    method: 'get',
    operationId: 'webhookEndpoints.list',
    path: ENDPOINTS,
    tag,
    summary: "The tenant's webhook endpoints (search: url, description); secrets never shown",
    permission,
    query: listParams({ enabled: f.flag() }),
    response: pageSchema(webhookEndpointView),
  }),
  createEndpoint: defineRoute({
    method: 'post',
    operationId: 'webhookEndpoints.create',
    path: ENDPOINTS,
    tag,
    summary:
      'Create an endpoint (https; the URL must not resolve to a private, loopback or link-local address); answers its signing secret, the only time it is shown',
    permission,
    body: webhookEndpointRequest,
    status: 201,
    response: webhookEndpointWithSecret,
  }),
  getEndpoint: defineRoute({
    method: 'get',
    operationId: 'webhookEndpoints.get',
    path: ENDPOINT,
    tag,
    summary: 'One endpoint (without its secret)',
    permission,
    response: webhookEndpointView,
  }),
  updateEndpoint: defineRoute({
    method: 'patch',
    operationId: 'webhookEndpoints.update',
    path: ENDPOINT,
    tag,
    summary: 'Change url, events, description or enabled (re-enabling clears disabled_reason)',
    permission,
    body: webhookEndpointPatch,
    response: webhookEndpointView,
  }),
  deleteEndpoint: defineRoute({
    method: 'delete',
    operationId: 'webhookEndpoints.delete',
    path: ENDPOINT,
    tag,
    summary: 'Delete an endpoint; its pending deliveries are not sent',
    permission,
    response: z.object({ deleted: z.boolean() }),
  }),
  rotateSecret: defineRoute({
    method: 'post',
    operationId: 'webhookEndpoints.rotateSecret',
    path: `${ENDPOINT}/rotate_secret`,
    tag,
    summary:
      'Issue a new signing secret; the previous one keeps signing too (a second signature) for the configured overlap (24 h by default)',
    permission,
    response: webhookEndpointWithSecret,
  }),
  testEndpoint: defineRoute({
    method: 'post',
    operationId: 'webhookEndpoints.test',
    path: `${ENDPOINT}/test`,
    tag,
    summary: 'Send a webhook.test event to this endpoint only; answers its delivery',
    permission,
    status: 201,
    response: webhookDeliveryView,
  }),
  listDeliveries: defineRoute({
    method: 'get',
    operationId: 'webhookEndpoints.listDeliveries',
    path: `${ENDPOINT}/deliveries`,
    tag,
    summary:
      "The endpoint's deliveries, newest first: status, attempts, last response, next attempt",
    permission,
    query: listParams({ status: f.oneOf(WEBHOOK_DELIVERY_STATUSES) }),
    response: pageSchema(webhookDeliveryView),
  }),
  getDelivery: defineRoute({
    method: 'get',
    operationId: 'webhookDeliveries.get',
    path: DELIVERY,
    tag,
    summary: 'One delivery with its payload and every attempt',
    permission,
    response: webhookDeliveryDetail,
  }),
  retryDelivery: defineRoute({
    method: 'post',
    operationId: 'webhookDeliveries.retry',
    path: `${DELIVERY}/retry`,
    tag,
    summary:
      'Replay a delivery now (same webhook-id); a failed one becomes pending again and its attempts continue',
    permission,
    response: webhookDeliveryView,
  }),
};
