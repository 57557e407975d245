import { PLATFORM_TENANT_ID, type EventEnvelope } from '@ledgerline/contracts';
import type { Logger } from '@ledgerline/platform';
import { recordCreditChange } from './credit-usage';
import type { CreditsUseCaseDeps } from './deps';

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
  const result = await recordCreditChange(deps.usage, {
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
