import { Router } from 'express';
import { z } from 'zod';
import { AppError, ok } from '@ledgerline/contracts';
import { parseQuery } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import { customerSnapshot } from '../domain/snapshots';
import { entitlementBillingSnapshot, existingDetails } from '../use-cases/billing-snapshot';
import { existingReferences } from '../use-cases/references';
import { customerViews } from '../use-cases/customers';

const id = z.string().min(1).max(200).optional();
const referenceQuery = z.object({
  customer_id: id,
  entitlement_id: id,
  utility_info_id: id,
  /** Comma-separated entitlement row ids (an invoice's lines name them). */
  entitlement_detail_ids: z.string().min(1).max(20_000).optional(),
});
const snapshotQuery = z.object({ utility_info_id: id });
const viewQuery = z.object({ include_deleted: z.enum(['true', 'false']).optional() });

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. Billing asks here when its event-fed copies miss an id or may be older than a request needs;
 * the webhooks service's event catalogue reads a customer's public view here.
 */
export function internalRoutes(deps: CustomersDeps): Router {
  const router = Router();
  router.get('/internal/tenants/:tenantId/references', async (req, res) => {
    const tenantId = String(req.params.tenantId);
    const { entitlement_detail_ids: detailIds, ...query } = parseQuery(referenceQuery, req);
    const [singles, details] = await Promise.all([
      existingReferences(deps, tenantId, query),
      detailIds ? existingDetails(deps, tenantId, detailIds.split(',')) : null,
    ]);
    res.json(ok({ ...singles, entitlement_details: details }));
  });
  router.get('/internal/tenants/:tenantId/customers/:customerId', async (req, res) => {
    const customer = await deps.customers.findById(
      String(req.params.tenantId),
      String(req.params.customerId),
    );
    if (!customer) throw AppError.notFound('Customer');
    // the snapshot events carry, plus the address a document prints (not on the bus)
    res.json(ok({ ...customerSnapshot(customer), address: customer.address }));
  });
  // the customer as `GET /api/customers/customers/{id}/` answers it (the same view); with
  // include_deleted=true also a deleted (hidden) one: customer.deleted sends its last state
  router.get('/internal/tenants/:tenantId/customers/:customerId/view', async (req, res) => {
    const tenantId = String(req.params.tenantId);
    const customerId = String(req.params.customerId);
    const { include_deleted: includeDeleted } = parseQuery(viewQuery, req);
    const customer =
      includeDeleted === 'true'
        ? await deps.customers.findEvenDeleted(tenantId, customerId)
        : await deps.customers.findById(tenantId, customerId);
    if (!customer) throw AppError.notFound('Customer');
    res.json(ok((await customerViews(deps, tenantId, [customer]))[0]));
  });
  router.get(
    '/internal/tenants/:tenantId/entitlements/:entitlementId/billing-snapshot',
    async (req, res) => {
      const { utility_info_id: infoId } = parseQuery(snapshotQuery, req);
      const snapshot = await entitlementBillingSnapshot(
        deps,
        String(req.params.tenantId),
        String(req.params.entitlementId),
        infoId,
      );
      if (!snapshot) throw AppError.notFound('Entitlement');
      res.json(ok(snapshot));
    },
  );
  return router;
}
