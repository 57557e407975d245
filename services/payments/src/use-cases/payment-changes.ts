import {
  AppError,
  buildEvent,
  formatMinor,
  toMinor,
  type RefundPaymentRequest,
  type UpdatePaymentRequest,
  type EventEnvelope,
  type VoidPaymentRequest,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { heldMinor } from '../domain/invoice-balance';
import { refundedMinor } from '../domain/payment-effects';
import type { Payment } from '../store/payments';
import type { Caller, PaymentsDeps } from './deps';
import { assertIssued } from './invoice-balance';
import { onInvoiceBalance } from './invoice-decisions';
import { getPayment, recordedEvent } from './record-payment';

/**
 * One change of a payment through the aggregate primitive (load, decide, one version-checked
 * update with its events, relay woken); answers the payment as written. A change may lower what
 * the payment holds of its invoice (failed, voided, refunded), so it runs holding the invoice's
 * balance, and the invoice's list first forgets what it remembered of the payment (what it holds
 * until the change comes off the folded sum): the next decision reads it by id.
 */
async function changePayment(
  deps: PaymentsDeps,
  tenantId: string,
  id: string,
  change: (p: Payment) => Promise<{ set: Partial<Payment>; events: EventEnvelope[] }>,
): Promise<Payment> {
  const { invoice_id: invoiceId } = await getPayment(deps, tenantId, id);
  await onInvoiceBalance(deps, tenantId, invoiceId, () =>
    deps.aggregates.change<Payment>(deps.payments.aggregate, { id, tenantId }, async (payment) => {
      const decided = await change(payment);
      await deps.invoicePayments.forget(tenantId, invoiceId, id, heldMinor(payment));
      return decided;
    }),
  );
  // read back: updated_at is the store's
  return getPayment(deps, tenantId, id);
}

/**
 * A pending payment completes (its amount was reserved when it was recorded; only now it publishes
 * PaymentRecorded so billing settles it) or fails; remarks and transaction id can be corrected.
 */
export function updatePayment(
  deps: PaymentsDeps,
  caller: Caller,
  id: string,
  req: UpdatePaymentRequest,
): Promise<Payment> {
  return changePayment(deps, caller.tenantId, id, async (p) => {
    const set: Partial<Payment> = {
      ...(req.remarks !== undefined && { remarks: req.remarks }),
      ...(req.transaction_id !== undefined && { transaction_id: req.transaction_id }),
      updated_by: caller.userId,
    };
    if (req.status === undefined || req.status === p.status) return { set, events: [] };
    if (p.status !== 'pending') {
      throw AppError.conflict(
        'invalid_state',
        `A ${p.status} payment cannot become ${req.status}; only pending payments complete or fail`,
      );
    }
    if (req.status === 'failed') return { set: { ...set, status: 'failed' }, events: [] };
    // a pending payment already holds its amount of the invoice (invoice-balance.ts): completing it
    // needs no second balance check, only an invoice that is still issued
    assertIssued(await deps.billing.getInvoice(p.invoice_id, caller.token, caller.requestId));
    return {
      set: { ...set, status: 'completed', completed_at: new Date(), reconciled: false },
      events: [recordedEvent(p, caller.correlationId)],
    };
  });
}

/** Only a completed payment holds money to void or refund (409 otherwise). */
function assertCompleted(p: Payment, change: 'voided' | 'refunded'): void {
  if (p.status !== 'completed') {
    throw AppError.conflict(
      'invalid_state',
      `Only completed payments can be ${change}; this one is ${p.status}`,
    );
  }
}

/** A completed payment is voided: what is left of it after refunds comes off its invoice. */
export function voidPayment(
  deps: PaymentsDeps,
  caller: Caller,
  id: string,
  req: VoidPaymentRequest,
): Promise<Payment> {
  return changePayment(deps, caller.tenantId, id, async (p) => {
    assertCompleted(p, 'voided');
    const remaining = p.amount_minor - refundedMinor(p);
    if (remaining <= 0)
      throw AppError.conflict('invalid_state', 'This payment is fully refunded; nothing to void');
    return {
      set: {
        status: 'voided',
        voided_at: new Date(),
        void_reason: req.reason ?? null,
        reconciled: false,
        updated_by: caller.userId,
      },
      events: [
        buildEvent('PaymentVoided', {
          tenant_id: p.tenant_id,
          correlation_id: caller.correlationId,
          data: {
            payment_id: p._id,
            invoice_id: p.invoice_id,
            customer_id: p.customer_id,
            amount_minor: remaining,
            currency: p.currency,
            reason: req.reason ?? null,
          },
        }),
      ],
    };
  });
}

/**
 * Part or all of a completed payment goes back to the payer. Refunds add up to at most the amount
 * paid (422 beyond); each is recorded on the payment and published as PaymentRefunded.
 */
export function refundPayment(
  deps: PaymentsDeps,
  caller: Caller,
  id: string,
  req: RefundPaymentRequest,
): Promise<Payment> {
  return changePayment(deps, caller.tenantId, id, async (p) => {
    assertCompleted(p, 'refunded');
    const amountMinor = toMinor(req.amount, p.currency, 'amount');
    if (amountMinor <= 0) {
      throw AppError.validation('Refund amount must be positive', [
        { field: 'amount', message: 'must be greater than 0' },
      ]);
    }
    const refundable = p.amount_minor - refundedMinor(p);
    if (amountMinor > refundable) {
      throw AppError.validation('Refund exceeds what is left of the payment', [
        {
          field: 'amount',
          message: `must not exceed ${formatMinor(refundable, p.currency)} ${p.currency}`,
        },
      ]);
    }
    const refund = {
      id: newId('rfd'),
      amount_minor: amountMinor,
      reason: req.reason ?? null,
      created_by: caller.userId,
      created_at: new Date(),
    };
    return {
      set: { refunds: [...p.refunds, refund], reconciled: false, updated_by: caller.userId },
      events: [
        buildEvent('PaymentRefunded', {
          tenant_id: p.tenant_id,
          correlation_id: caller.correlationId,
          data: {
            refund_id: refund.id,
            payment_id: p._id,
            invoice_id: p.invoice_id,
            customer_id: p.customer_id,
            amount_minor: amountMinor,
            currency: p.currency,
            reason: refund.reason,
          },
        }),
      ],
    };
  });
}
