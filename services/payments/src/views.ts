import { formatMinor, type PaymentView } from '@ledgerline/contracts';
import type { Payment } from './store/payments';

export function paymentView(p: Payment): PaymentView {
  return {
    id: p._id,
    invoice_master_id: p.invoice_id,
    customer_id: p.customer_id,
    customer_entitlement_master_id: p.customer_entitlement_master_id,
    payment_date: p.payment_date,
    payment_method: p.payment_method,
    amount: formatMinor(p.amount_minor, p.currency),
    currency: p.currency,
    transaction_id: p.transaction_id,
    status: p.status,
    remarks: p.remarks,
    created_by: p.created_by,
    updated_by: p.updated_by,
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
  };
}
