import { Router } from 'express';
import {
  ok,
  utilityDetailPatchRequest,
  utilityDetailRequest,
  utilityInfoPatchRequest,
  utilityInfoRequest,
} from '@ledgerline/contracts';
import { parseBody, requirePermission } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import * as utility from '../use-cases/utility';
import { caller, idParam, listQuery, sendCreated, sendPage } from './http';

const read = requirePermission('customers:read');
const write = requirePermission('customers:update');

/**
 * Seed 002 UTILITY app under /api/utility: the company information printed on invoices and the
 * payment details (bank, bKash, Nagad). The seed shows reads; admins also write them.
 */
export function utilityRoutes(deps: CustomersDeps): Router {
  const r = Router();

  r.get('/utility-info', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await utility.listInfos(deps, caller(req), query));
  });
  r.post('/utility-info', write, async (req, res) => {
    const info = await utility.createInfo(deps, caller(req), parseBody(utilityInfoRequest, req));
    sendCreated(res, `/api/utility/utility-info/${info.id}/`, info, 'Utility information created');
  });
  r.get('/utility-info/:id', read, async (req, res) => {
    res.json(ok(await utility.getInfo(deps, caller(req), idParam(req))));
  });
  r.patch('/utility-info/:id', write, async (req, res) => {
    const body = parseBody(utilityInfoPatchRequest, req);
    const info = await utility.updateInfo(deps, caller(req), idParam(req), body, false);
    res.json(ok(info, 'Utility information updated'));
  });
  r.put('/utility-info/:id', write, async (req, res) => {
    const body = parseBody(utilityInfoRequest, req);
    const info = await utility.updateInfo(deps, caller(req), idParam(req), body, true);
    res.json(ok(info, 'Utility information updated'));
  });
  r.delete('/utility-info/:id', write, async (req, res) => {
    await utility.deleteInfo(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Utility information deleted'));
  });

  r.get('/utility-details', read, async (req, res) => {
    const query = listQuery(req);
    sendPage(res, query, await utility.listDetails(deps, caller(req), query));
  });
  r.post('/utility-details', write, async (req, res) => {
    const body = parseBody(utilityDetailRequest, req);
    const detail = await utility.createDetail(deps, caller(req), body);
    sendCreated(
      res,
      `/api/utility/utility-details/${detail.id}/`,
      detail,
      'Utility detail created',
    );
  });
  r.get('/utility-details/:id', read, async (req, res) => {
    res.json(ok(await utility.getDetail(deps, caller(req), idParam(req))));
  });
  r.patch('/utility-details/:id', write, async (req, res) => {
    const body = parseBody(utilityDetailPatchRequest, req);
    const detail = await utility.updateDetail(deps, caller(req), idParam(req), body, false);
    res.json(ok(detail, 'Utility detail updated'));
  });
  r.put('/utility-details/:id', write, async (req, res) => {
    const body = parseBody(utilityDetailRequest, req);
    const detail = await utility.updateDetail(deps, caller(req), idParam(req), body, true);
    res.json(ok(detail, 'Utility detail updated'));
  });
  r.delete('/utility-details/:id', write, async (req, res) => {
    await utility.deleteDetail(deps, caller(req), idParam(req));
    res.json(ok({ id: idParam(req), deleted: true }, 'Utility detail deleted'));
  });

  return r;
}
