import { Router } from 'express';
import { CUSTOMER_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindCrudRoutes, bindRoute } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import * as customers from '../use-cases/customers';
import * as detailLists from '../use-cases/entitlement-detail-lists';
import * as details from '../use-cases/entitlement-details';
import * as entitlements from '../use-cases/entitlements';
import * as kams from '../use-cases/kams';

/**
 * Seed 002 CUSTOMERS app under /api/customers: KAM masters, customers (+ entitlements
 * sub-resource), entitlements (+ bulk details), entitlement details (+ bandwidth_types, history).
 * The customer's invoices, bills and payments sub-resources are routed by the gateway to billing
 * and payments.
 */
export function customerRoutes(deps: CustomersDeps): Router {
  const r = Router();

  bindCrudRoutes(r, R.kams, {
    noun: 'KAM',
    list: (c, q) => kams.listKams(deps, c, q),
    create: (c, body) => kams.createKam(deps, c, body),
    get: (c, id) => kams.getKam(deps, c, id),
    update: (c, id, body, replace) => kams.updateKam(deps, c, id, body, replace),
    remove: (c, id) => kams.deleteKam(deps, c, id),
  });

  bindCrudRoutes(r, R.customers, {
    noun: 'Customer',
    list: (c, q) => customers.listCustomers(deps, c, q),
    create: (c, body) => customers.createCustomer(deps, c, body),
    get: (c, id) => customers.getCustomer(deps, c, id),
    update: (c, id, body, replace) => customers.updateCustomer(deps, c, id, body, replace),
    remove: (c, id) => customers.deleteCustomer(deps, c, id),
  });
  bindRoute(r, R.customerEntitlements, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    await customers.findCustomer(deps, caller, params.id);
    return { data: pageOf(q, await entitlements.listEntitlements(deps, caller, q, params.id)) };
  });

  bindCrudRoutes(r, R.entitlements, {
    noun: 'Entitlement',
    list: (c, q) => entitlements.listEntitlements(deps, c, q),
    create: (c, body) => entitlements.createEntitlement(deps, c, body),
    get: (c, id) => entitlements.getEntitlement(deps, c, id),
    update: (c, id, body, replace) => entitlements.updateEntitlement(deps, c, id, body, replace),
    remove: (c, id) => entitlements.deleteEntitlement(deps, c, id),
  });
  bindRoute(r, R.entitlementDetails, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    return { data: pageOf(q, await detailLists.detailsOfEntitlement(deps, caller, params.id, q)) };
  });
  bindRoute(r, R.createEntitlementDetails, async ({ caller, params, body }) => {
    const rows = await details.bulkCreateDetails(deps, caller, params.id, body);
    return {
      data: { entitlement_master_id: params.id, count: rows.length, results: rows },
      message: `${rows.length} entitlement detail${rows.length === 1 ? '' : 's'} created`,
    };
  });

  // named paths before /{id}
  bindRoute(r, R.bandwidthTypes, async ({ caller, query }) => ({
    data: await detailLists.bandwidthTypes(deps, caller, toListQuery(query)),
  }));
  bindRoute(r, R.detailHistory, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count, window } = await detailLists.detailHistory(deps, caller, q);
    return {
      data: { ...pageOf(q, { results, count }), start_date: window.from, end_date: window.to },
    };
  });
  bindCrudRoutes(r, R.details, {
    noun: 'Entitlement detail',
    list: (c, q) => detailLists.listDetails(deps, c, q),
    create: (c, body) => details.createDetail(deps, c, body),
    get: (c, id) => details.getDetail(deps, c, id),
    update: (c, id, body, replace) => details.updateDetail(deps, c, id, body, replace),
    remove: (c, id) => details.deleteDetail(deps, c, id),
  });

  return r;
}
