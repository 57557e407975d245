import { Router } from 'express';
import {
  AppError,
  CREDIT_ROUTES as R,
  formatMinor,
  PLATFORM_TENANT_ID,
} from '@ledgerline/contracts';
import { bindRoute, deterministicId, newId } from '@ledgerline/platform';
import type { CreditCaller, CreditPurchase, CreditsDeps } from '../modules/credits';
import {
  createInvoice,
  platformCaller,
  type Invoice,
  type InvoicingDeps,
} from '../modules/invoicing';
import { platformInvoiceSummary } from './platform-invoices';

/**
 * Seed 000's credit package purchase: the credits module records the purchase, the invoicing
 * module issues the platform's invoice for it; the credits are granted when that invoice is paid
 * (the credits module's InvoiceStatusChanged handler).
 */

/**
 * A purchase id: random, or derived from the client's Idempotency-Key so a retried request
 * finds the purchase (and the invoice) it made the first time.
 */
function purchaseId(tenantId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newId('cpp');
  return deterministicId('cpp', [tenantId, idempotencyKey], { encoding: 'base64url', length: 22 });
}

/**
 * Buys a credit package: the purchase is recorded first (unique by its invoice id), then the
 * platform issues the invoice to the buying tenant with that deterministic id, so a retry after a
 * crash between the two makes the same invoice once. The credits come when the invoice is paid.
 */
export async function purchaseCreditPackage(
  deps: { credits: CreditsDeps; invoicing: InvoicingDeps },
  caller: CreditCaller,
  packageId: string,
  idempotencyKey?: string,
): Promise<{ purchase: CreditPurchase; invoice: Invoice }> {
  if (caller.tenantId === PLATFORM_TENANT_ID) {
    throw AppError.conflict('invalid_state', 'The platform tenant cannot buy credits from itself');
  }
  const pkg = await deps.credits.packages.findById(packageId);
  if (!pkg || !pkg.is_active) throw AppError.notFound('Credit package');
  const id = purchaseId(caller.tenantId, idempotencyKey);
  const purchase = await deps.credits.purchases.insertOnce({
    _id: id,
    tenant_id: caller.tenantId,
    package_id: pkg._id,
    package_name: pkg.name,
    credits: pkg.credits,
    price_minor: pkg.price_minor,
    currency: pkg.currency,
    invoice_id: `inv_${id}`,
    status: 'pending',
    created_by: caller.userId,
  });
  const invoice = await createInvoice(
    deps.invoicing,
    platformCaller(caller.correlationId),
    {
      status: 'unpaid',
      customer_id: caller.tenantId,
      currency: purchase.currency,
      remarks: `Credit package "${purchase.package_name}": ${purchase.credits} credits`,
      details: [
        {
          sub_total: formatMinor(purchase.price_minor, purchase.currency),
          remarks: `${purchase.credits} credits (${purchase.package_name})`,
        },
      ],
    },
    { id: purchase.invoice_id },
  );
  return { purchase, invoice };
}

export function purchaseView(purchase: CreditPurchase, invoice: Invoice) {
  return {
    id: purchase._id,
    package_id: purchase.package_id,
    credits: purchase.credits,
    price: formatMinor(purchase.price_minor, purchase.currency),
    currency: purchase.currency,
    status: purchase.status,
    invoice_id: purchase.invoice_id,
    invoice: platformInvoiceSummary(invoice),
    created_at: new Date(purchase.created_at).toISOString(),
  };
}

/** POST /v1/billing/credit-packages/{id}/purchase/ (Idempotency-Key: one purchase). */
export function creditPurchaseRoutes(deps: { credits: CreditsDeps; invoicing: InvoicingDeps }) {
  const router = Router();
  bindRoute(router, R.purchase, async ({ caller, params, idempotencyKey }) => {
    const { purchase, invoice } = await purchaseCreditPackage(
      deps,
      caller,
      params.id,
      idempotencyKey,
    );
    return {
      data: purchaseView(purchase, invoice),
      message: `Invoice ${invoice.invoice_number} issued; the credits are granted once it is paid`,
    };
  });
  return router;
}
