import { createHash } from 'node:crypto';
import {
  AppError,
  formatMinor,
  PLATFORM_TENANT_ID,
  type EventEnvelope,
} from '@ledgerline/contracts';
import { newId, type Logger } from '@ledgerline/platform';
import { createInvoice, type Caller } from '../../use-cases/invoices';
import type { Invoice } from '../../store/invoices';
import type { CreditPurchase } from '../store/credit-purchases';
import { recordCreditChange } from './ledger';
import type { CreditCaller, CreditsUseCaseDeps } from './deps';

/** The platform tenant acting as the seller of its own invoices. */
export function platformCaller(correlationId: string, userId = 'system:billing'): Caller {
  return { tenantId: PLATFORM_TENANT_ID, userId, correlationId };
}

/**
 * A purchase id: random, or derived from the client's Idempotency-Key so a retried request
 * finds the purchase (and the invoice) it made the first time.
 */
function purchaseId(tenantId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newId('cpp');
  const digest = createHash('sha256').update(`${tenantId}\n${idempotencyKey}`).digest('base64url');
  return `cpp_${digest.slice(0, 22)}`;
}

/**
 * Buys a credit package: the purchase is recorded first (unique by its invoice id), then the
 * platform issues the invoice to the buying tenant with that deterministic id, so a retry after a
 * crash between the two makes the same invoice once. The credits come when the invoice is paid.
 */
export async function purchaseCreditPackage(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  packageId: string,
  idempotencyKey?: string,
): Promise<{ purchase: CreditPurchase; invoice: Invoice }> {
  if (caller.tenantId === PLATFORM_TENANT_ID) {
    throw AppError.conflict('invalid_state', 'The platform tenant cannot buy credits from itself');
  }
  const pkg = await deps.packages.findById(packageId);
  if (!pkg || !pkg.is_active) throw AppError.notFound('Credit package');
  const id = purchaseId(caller.tenantId, idempotencyKey);
  const purchase = await deps.purchases.insertOnce({
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

/**
 * A platform invoice was paid: if it bills a credit purchase, the credits are granted. The
 * grant's idempotency key is the invoice, so a redelivered event (or the invoice paid again after
 * a refund) grants nothing more.
 */
export async function grantPaidPurchase(
  deps: CreditsUseCaseDeps,
  event: EventEnvelope<'InvoiceStatusChanged'>,
  logger: Logger,
): Promise<void> {
  const { data } = event;
  if (event.tenant_id !== PLATFORM_TENANT_ID || data.status !== 'paid' || !data.customer_id) return;
  const purchase = await deps.purchases.findByInvoice(data.customer_id, data.invoice_id);
  if (!purchase) return; // a plan invoice, or another platform invoice
  const result = await recordCreditChange(deps.ledger, {
    tenantId: purchase.tenant_id,
    transactionType: 'purchase',
    amount: purchase.credits,
    description: `Purchased ${purchase.package_name} (invoice ${data.invoice_number ?? data.invoice_id})`,
    idemKey: `purchase:${purchase.invoice_id}`,
    value: { minor: purchase.price_minor, currency: purchase.currency },
    invoiceId: purchase.invoice_id,
    correlationId: event.correlation_id,
  });
  if (purchase.status !== 'granted')
    await deps.purchases.markGranted(purchase.tenant_id, purchase._id);
  if (!result.duplicate) {
    logger.info(
      { tenant_id: purchase.tenant_id, invoice_id: purchase.invoice_id, credits: purchase.credits },
      'purchased credits granted',
    );
  }
}
