import { Router } from 'express';
import {
  ok,
  packagePatchRequest,
  packagePricingPatchRequest,
  packagePricingRequest,
  packageRequest,
} from '@ledgerline/contracts';
import { parseBody, requirePermission } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import * as packages from '../use-cases/packages';
import { caller, idParam, listQuery, sendCreated, sendPage } from './http';

const read = requirePermission('customers:read');
const write = requirePermission('customers:update');

/** Seed 002 PACKAGE app under /api/packages: packages and their pricings. */
export function packageRoutes(deps: CustomersDeps): Router {
  const r = Router();

  r.get('/packages', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await packages.listPackages(deps, caller(req), query));
  });
  r.post('/packages', write, async (req, res) => {
    const pkg = await packages.createPackage(deps, caller(req), parseBody(packageRequest, req));
    sendCreated(res, `/api/packages/packages/${pkg.id}/`, pkg, 'Package created');
  });
  r.get('/packages/:id', read, async (req, res) => {
    res.json(ok(await packages.getPackage(deps, caller(req), idParam(req))));
  });
  r.patch('/packages/:id', write, async (req, res) => {
    const body = parseBody(packagePatchRequest, req);
    const pkg = await packages.updatePackage(deps, caller(req), idParam(req), body, false);
    res.json(ok(pkg, 'Package updated'));
  });
  r.put('/packages/:id', write, async (req, res) => {
    const body = parseBody(packageRequest, req);
    const pkg = await packages.updatePackage(deps, caller(req), idParam(req), body, true);
    res.json(ok(pkg, 'Package updated'));
  });
  r.delete('/packages/:id', write, async (req, res) => {
    await packages.deletePackage(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Package deleted'));
  });
  r.get('/packages/:id/pricings', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await packages.listPricings(deps, caller(req), query, idParam(req)));
  });

  r.get('/package-pricings', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await packages.listPricings(deps, caller(req), query));
  });
  r.post('/package-pricings', write, async (req, res) => {
    const body = parseBody(packagePricingRequest, req);
    const pricing = await packages.createPricing(deps, caller(req), body);
    sendCreated(
      res,
      `/api/packages/package-pricings/${pricing.id}/`,
      pricing,
      'Package pricing created',
    );
  });
  r.get('/package-pricings/:id', read, async (req, res) => {
    res.json(ok(await packages.getPricing(deps, caller(req), idParam(req))));
  });
  r.patch('/package-pricings/:id', write, async (req, res) => {
    const body = parseBody(packagePricingPatchRequest, req);
    const pricing = await packages.updatePricing(deps, caller(req), idParam(req), body, false);
    res.json(ok(pricing, 'Package pricing updated'));
  });
  r.put('/package-pricings/:id', write, async (req, res) => {
    const body = parseBody(packagePricingRequest, req);
    const pricing = await packages.updatePricing(deps, caller(req), idParam(req), body, true);
    res.json(ok(pricing, 'Package pricing updated'));
  });
  r.delete('/package-pricings/:id', write, async (req, res) => {
    await packages.deletePricing(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Package pricing deleted'));
  });

  return r;
}
