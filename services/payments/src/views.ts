import {
  formatMinor,
  sumMinor,
  type PaymentDetailView,
  type PaymentView,
  type PlatformPaymentView,
} from '@ledgerline/contracts';
import { refundedMinor } from './domain/payment-effects';
import type { Payment, PaymentStatus } from './store/payments';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** `fromDetails`: what the details added to this master received (see use-cases/payment-views). */
export function paymentView(p: Payment, fromDetails = 0): PaymentView {
  return {
    id: p._id,
    invoice_master_id: p.invoice_id,
    customer_id: p.customer_id,
    customer_entitlement_master_id: p.customer_entitlement_master_id,
    payment_date: p.payment_date,
    payment_method: p.payment_method,
    amount: formatMinor(sumMinor([p.amount_minor, fromDetails]), p.currency),
    currency: p.currency,
    transaction_id: p.transaction_id,
    status: p.status,
    remarks: p.remarks,
    refunded_amount: formatMinor(refundedMinor(p), p.currency),
    refunds: p.refunds.map((r) => ({
      id: r.id,
      amount: formatMinor(r.amount_minor, p.currency),
      reason: r.reason,
      created_by: r.created_by,
      created_at: new Date(r.created_at).toISOString(),
    })),
    completed_at: iso(p.completed_at),
    voided_at: iso(p.voided_at),
    void_reason: p.void_reason,
    created_by: p.created_by,
    updated_by: p.updated_by,
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
  };
}

/** Seed 002 payment details: every payment is one detail of its master (itself, or the payment it was added to). */
export function paymentDetailView(p: Payment): PaymentDetailView {
  return {
    id: p._id,
    payment_master_id: p.master_payment_id ?? p._id,
    invoice_master_id: p.invoice_id,
    pay_amount: formatMinor(p.amount_minor, p.currency),
    currency: p.currency,
    transaction_id: p.transaction_id,
    remarks: p.remarks,
    status: p.status,
    created_at: new Date(p.created_at).toISOString(),
  };
}

/** Seed 000's names of the payment statuses (what its list shows and searches). */
export const PLATFORM_STATUS_NAMES: Record<PaymentStatus, PlatformPaymentView['status']> = {
  pending: 'pending',
  completed: 'succeeded',
  failed: 'failed',
  voided: 'voided',
};

/** Seed 000's shape of a tenant's payment to the platform. */
export function platformPaymentView(p: Payment): PlatformPaymentView {
  return {
    id: p._id,
    invoice_id: p.invoice_id,
    amount: formatMinor(p.amount_minor, p.currency),
    currency: p.currency,
    status: PLATFORM_STATUS_NAMES[p.status],
    payment_method: p.payment_method,
    refunded_amount: formatMinor(refundedMinor(p), p.currency),
    created_at: new Date(p.created_at).toISOString(),
  };
}
