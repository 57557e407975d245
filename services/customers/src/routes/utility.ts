import { Router } from 'express';
import { UTILITY_ROUTES as R } from '@ledgerline/contracts';
import { bindCrudRoutes } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import * as utility from '../use-cases/utility';

/**
 * Seed 002 UTILITY app under /api/utility: the company information printed on invoices and the
 * payment details (bank, bKash, Nagad). The seed shows reads; admins also write them.
 */
export function utilityRoutes(deps: CustomersDeps): Router {
  const r = Router();

  bindCrudRoutes(r, R.infos, {
    noun: 'Utility information',
    list: (c, q) => utility.listInfos(deps, c, q),
    create: (c, body) => utility.createInfo(deps, c, body),
    get: (c, id) => utility.getInfo(deps, c, id),
    update: (c, id, body, replace) => utility.updateInfo(deps, c, id, body, replace),
    remove: (c, id) => utility.deleteInfo(deps, c, id),
  });

  bindCrudRoutes(r, R.details, {
    noun: 'Utility detail',
    list: (c, q) => utility.listDetails(deps, c, q),
    create: (c, body) => utility.createDetail(deps, c, body),
    get: (c, id) => utility.getDetail(deps, c, id),
    update: (c, id, body, replace) => utility.updateDetail(deps, c, id, body, replace),
    remove: (c, id) => utility.deleteDetail(deps, c, id),
  });

  return r;
}
