import type { PaymentView } from '@ledgerline/contracts';
import type { Payment } from '../store/payments';
import { paymentView } from '../views';
import type { PaymentsDeps } from './deps';

/**
 * Payments as the API shows them. A master's amount is what it received: its own amount (seed
 * 002's one-step form; none in the two-step form) plus its completed details, net of refunds,
 * read in one query for the whole page.
 */
export async function paymentViews(
  deps: Pick<PaymentsDeps, 'payments'>,
  tenantId: string,
  payments: Payment[],
): Promise<PaymentView[]> {
  const masters = payments.filter((p) => p.master_payment_id === null).map((p) => p._id);
  const received = await deps.payments.receivedByDetails(tenantId, masters);
  return payments.map((p) => paymentView(p, received.get(p._id) ?? 0));
}

export async function onePaymentView(
  deps: Pick<PaymentsDeps, 'payments'>,
  payment: Payment,
): Promise<PaymentView> {
  const [view] = await paymentViews(deps, payment.tenant_id, [payment]);
  return view as PaymentView;
}
