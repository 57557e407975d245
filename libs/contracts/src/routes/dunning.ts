import { dunningPolicyRequest, dunningPolicyView } from '../api/dunning';
import { defineRoute } from '../route';

/** The tenant's dunning policy (issue 17; billing service). */
export const DUNNING_ROUTES = {
  get: defineRoute({
    method: 'get',
    operationId: 'dunningPolicy.get',
    path: '/api/bills/dunning-policy',
    tag: 'bills',
    permission: 'bills:read',
    summary: "The tenant's dunning policy (the default until one is set)",
    response: dunningPolicyView,
  }),
  put: defineRoute({
    method: 'put',
    operationId: 'dunningPolicy.set',
    path: '/api/bills/dunning-policy',
    tag: 'bills',
    permission: 'bills:update',
    summary:
      "Set the dunning policy: reminder offsets in days from the due date, and a final action (none, suspend_entitlements, or suspend_subscription for the platform's invoices)",
    body: dunningPolicyRequest,
    response: dunningPolicyView,
  }),
};
