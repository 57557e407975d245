import { Router } from 'express';
import {
  bulkEntitlementDetailsRequest,
  createEntitlementDetailRequest,
  customerPatchRequest,
  customerRequest,
  entitlementPatchRequest,
  entitlementRequest,
  kamPatchRequest,
  kamRequest,
  ok,
} from '@ledgerline/contracts';
import { parseBody, requirePermission } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import * as customers from '../use-cases/customers';
import * as details from '../use-cases/entitlement-details';
import * as entitlements from '../use-cases/entitlements';
import * as kams from '../use-cases/kams';
import { caller, idParam, listQuery, sendCreated, sendPage } from './http';

const read = requirePermission('customers:read');
const write = requirePermission('customers:update');

/**
 * Seed 002 CUSTOMERS app under /api/customers: KAM masters, customers (+ entitlements
 * sub-resource), entitlements (+ bulk details), entitlement details (+ bandwidth_types, history).
 * The customer's invoices, bills and payments sub-resources are routed by the gateway to billing
 * and payments.
 */
export function customerRoutes(deps: CustomersDeps): Router {
  const r = Router();

  // ---- KAM masters
  r.get('/kam', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await kams.listKams(deps, caller(req), query));
  });
  r.post('/kam', write, async (req, res) => {
    const kam = await kams.createKam(deps, caller(req), parseBody(kamRequest, req));
    sendCreated(res, `/api/customers/kam/${kam.id}/`, kam, 'KAM created');
  });
  r.get('/kam/:id', read, async (req, res) => {
    res.json(ok(await kams.getKam(deps, caller(req), idParam(req))));
  });
  r.patch('/kam/:id', write, async (req, res) => {
    const body = parseBody(kamPatchRequest, req);
    res.json(ok(await kams.updateKam(deps, caller(req), idParam(req), body, false), 'KAM updated'));
  });
  r.put('/kam/:id', write, async (req, res) => {
    const body = parseBody(kamRequest, req);
    res.json(ok(await kams.updateKam(deps, caller(req), idParam(req), body, true), 'KAM updated'));
  });
  r.delete('/kam/:id', write, async (req, res) => {
    await kams.deleteKam(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'KAM deleted'));
  });

  // ---- customers
  r.get('/customers', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await customers.listCustomers(deps, caller(req), query));
  });
  r.post('/customers', write, async (req, res) => {
    const body = parseBody(customerRequest, req);
    const customer = await customers.createCustomer(deps, caller(req), body);
    sendCreated(res, `/api/customers/customers/${customer.id}/`, customer, 'Customer created');
  });
  r.get('/customers/:id', read, async (req, res) => {
    res.json(ok(await customers.getCustomer(deps, caller(req), idParam(req))));
  });
  r.patch('/customers/:id', write, async (req, res) => {
    const body = parseBody(customerPatchRequest, req);
    const updated = await customers.updateCustomer(deps, caller(req), idParam(req), body, false);
    res.json(ok(updated, 'Customer updated'));
  });
  r.put('/customers/:id', write, async (req, res) => {
    const body = parseBody(customerRequest, req);
    const updated = await customers.updateCustomer(deps, caller(req), idParam(req), body, true);
    res.json(ok(updated, 'Customer updated'));
  });
  r.delete('/customers/:id', write, async (req, res) => {
    await customers.deleteCustomer(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Customer deleted'));
  });
  r.get('/customers/:id/entitlements', read, async (req, res) => {
    const query = listQuery(req);
    const who = caller(req);
    await customers.findCustomer(deps, who, idParam(req));
    sendPage(res, query, await entitlements.listEntitlements(deps, who, query, idParam(req)));
  });

  // ---- entitlements
  r.get('/entitlements', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await entitlements.listEntitlements(deps, caller(req), query));
  });
  r.post('/entitlements', write, async (req, res) => {
    const body = parseBody(entitlementRequest, req);
    const created = await entitlements.createEntitlement(deps, caller(req), body);
    sendCreated(res, `/api/customers/entitlements/${created.id}/`, created, 'Entitlement created');
  });
  r.get('/entitlements/:id', read, async (req, res) => {
    res.json(ok(await entitlements.getEntitlement(deps, caller(req), idParam(req))));
  });
  r.patch('/entitlements/:id', write, async (req, res) => {
    const body = parseBody(entitlementPatchRequest, req);
    const updated = await entitlements.updateEntitlement(
      deps,
      caller(req),
      idParam(req),
      body,
      false,
    );
    res.json(ok(updated, 'Entitlement updated'));
  });
  r.put('/entitlements/:id', write, async (req, res) => {
    const body = parseBody(entitlementRequest, req);
    const updated = await entitlements.updateEntitlement(
      deps,
      caller(req),
      idParam(req),
      body,
      true,
    );
    res.json(ok(updated, 'Entitlement updated'));
  });
  r.delete('/entitlements/:id', write, async (req, res) => {
    await entitlements.deleteEntitlement(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Entitlement deleted'));
  });
  r.get('/entitlements/:id/details', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(
      res,
      query,
      await details.detailsOfEntitlement(deps, caller(req), idParam(req), query),
    );
  });
  r.post('/entitlements/:id/details', write, async (req, res) => {
    const body = parseBody(bulkEntitlementDetailsRequest, req);
    const rows = await details.bulkCreateDetails(deps, caller(req), idParam(req), body);
    res
      .status(201)
      .json(
        ok(
          { entitlement_master_id: idParam(req), count: rows.length, results: rows },
          `${rows.length} entitlement detail${rows.length === 1 ? '' : 's'} created`,
        ),
      );
  });

  // ---- entitlement details (named paths before /:id)
  r.get('/entitlement-details/bandwidth_types', read, async (req, res) => {
    res.json(ok(await details.bandwidthTypes(deps, caller(req), listQuery(req))));
  });
  r.get('/entitlement-details/history', read, async (req, res) => {
    const query = listQuery(req);
    const { results, count, window } = await details.detailHistory(deps, caller(req), query);
    res.json(
      ok({
        results,
        count,
        page: query.page,
        per_page: query.perPage,
        start_date: window.from,
        end_date: window.to,
      }),
    );
  });
  r.get('/entitlement-details', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await details.listDetails(deps, caller(req), query));
  });
  r.post('/entitlement-details', write, async (req, res) => {
    const body = parseBody(createEntitlementDetailRequest, req);
    const row = await details.createDetail(deps, caller(req), body);
    sendCreated(
      res,
      `/api/customers/entitlement-details/${row.id}/`,
      row,
      'Entitlement detail created',
    );
  });
  r.get('/entitlement-details/:id', read, async (req, res) => {
    res.json(ok(await details.getDetail(deps, caller(req), idParam(req))));
  });
  r.patch('/entitlement-details/:id', write, async (req, res) => {
    const body = parseBody(createEntitlementDetailRequest, req);
    const row = await details.updateDetail(deps, caller(req), idParam(req), body, false);
    res.json(ok(row, 'Entitlement detail updated'));
  });
  r.put('/entitlement-details/:id', write, async (req, res) => {
    const body = parseBody(createEntitlementDetailRequest, req);
    const row = await details.updateDetail(deps, caller(req), idParam(req), body, true);
    res.json(ok(row, 'Entitlement detail updated'));
  });
  r.delete('/entitlement-details/:id', write, async (req, res) => {
    await details.deleteDetail(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Entitlement detail deleted'));
  });

  return r;
}
