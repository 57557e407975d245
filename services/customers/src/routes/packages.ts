import { Router } from 'express';
import { PACKAGE_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindCrudRoutes, bindRoute } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import * as packages from '../use-cases/packages';

/** Seed 002 PACKAGE app under /api/packages: packages and their pricings. */
export function packageRoutes(deps: CustomersDeps): Router {
  const r = Router();

  bindCrudRoutes(r, R.packages, {
    noun: 'Package',
    list: (c, q) => packages.listPackages(deps, c, q),
    create: (c, body) => packages.createPackage(deps, c, body),
    get: (c, id) => packages.getPackage(deps, c, id),
    update: (c, id, body, replace) => packages.updatePackage(deps, c, id, body, replace),
    remove: (c, id) => packages.deletePackage(deps, c, id),
  });
  bindRoute(r, R.packagePricings, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    return { data: pageOf(q, await packages.listPricings(deps, caller, q, params.id)) };
  });

  bindCrudRoutes(r, R.pricings, {
    noun: 'Package pricing',
    list: (c, q) => packages.listPricings(deps, c, q),
    create: (c, body) => packages.createPricing(deps, c, body),
    get: (c, id) => packages.getPricing(deps, c, id),
    update: (c, id, body, replace) => packages.updatePricing(deps, c, id, body, replace),
    remove: (c, id) => packages.deletePricing(deps, c, id),
  });

  return r;
}
