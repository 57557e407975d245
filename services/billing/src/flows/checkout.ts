import { Router } from 'express';
import { AppError, formatMinor, LEDGER_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute, deterministicId } from '@ledgerline/platform';
import { createInvoice, invoiceView, type Invoice, type InvoicingDeps } from '../modules/invoicing';
import {
  cartLockKey,
  price,
  type Cart,
  type LedgerCaller,
  type LedgerDeps,
} from '../modules/ledger';
import type { PaymentsClient } from './clients/payments';

/**
 * Seed 001's checkout: the ledger module's cart becomes the platform's invoice to the buying
 * tenant (invoicing module), paid now through the payments service or later.
 */
export interface CheckoutDeps {
  ledger: LedgerDeps;
  invoicing: InvoicingDeps;
  payments: PaymentsClient;
}

function checkoutInvoiceId(caller: LedgerCaller, cart: Cart, idempotencyKey?: string): string {
  const basis = idempotencyKey ? ['key', idempotencyKey] : ['cart', String(cart.version)];
  return deterministicId('inv_co', [caller.tenantId, caller.userId, ...basis], { separator: '|' });
}

/**
 * Seed 001 "execute order": the cart becomes an issued invoice from the platform tenant to the
 * buying tenant (its customer), with one line per cart item; the cart is emptied. The invoice id
 * is derived from the cart's version (or the Idempotency-Key), so a retried checkout answers the
 * same invoice instead of a second one.
 */
export async function placeOrder(
  deps: CheckoutDeps,
  caller: LedgerCaller,
  profile: string,
  idempotencyKey?: string,
): Promise<Invoice> {
  if (profile !== caller.tenantId) throw AppError.notFound('Profile');
  return deps.ledger.locks.withLock(cartLockKey(caller.tenantId, caller.userId), async () => {
    const cart = await deps.ledger.carts.find(caller.tenantId, caller.userId);
    const id = checkoutInvoiceId(caller, cart, idempotencyKey);
    const platformCaller = { ...caller, tenantId: deps.ledger.platformTenantId };
    if (idempotencyKey) {
      const earlier = await deps.invoicing.invoices.findById(deps.ledger.platformTenantId, id);
      if (earlier) return earlier;
    }
    if (cart.items.length === 0) {
      throw AppError.validation('The cart is empty', [
        { field: 'cart', message: 'add a plan with POST /api/cart first' },
      ]);
    }
    const priced = await price(deps.ledger, cart.items);
    const currency = priced[0]!.plan.currency;
    if (priced.some((p) => p.plan.currency !== currency)) {
      throw AppError.validation('The cart mixes currencies', [
        { field: 'cart', message: 'check out plans of one currency at a time' },
      ]);
    }
    const invoice = await createInvoice(
      deps.invoicing,
      platformCaller,
      {
        status: 'unpaid',
        customer_id: caller.tenantId,
        currency,
        remarks: `Order by ${caller.userId}`,
        details: priced.map((p) => ({
          sub_total: formatMinor(p.amountMinor, currency),
          remarks: `${p.plan.name} (${p.option}) x ${p.quantity}`,
        })),
      },
      { id },
    );
    await deps.ledger.carts.save(cart, []);
    return invoice;
  });
}

/** "Pay now": the order's balance is paid through the payments service. */
export async function payOrder(
  deps: CheckoutDeps,
  caller: LedgerCaller,
  invoice: Invoice,
  paymentMethod: string,
): Promise<Record<string, unknown> | null> {
  if (invoice.balance_due_minor <= 0) return null;
  return deps.payments.recordPayment(
    {
      tenant_id: deps.ledger.platformTenantId,
      invoice_id: invoice._id,
      customer_id: invoice.customer_id,
      amount_minor: invoice.balance_due_minor,
      currency: invoice.currency,
      payment_method: paymentMethod,
      idempotency_key: `checkout:${invoice._id}`,
      created_by: caller.userId,
    },
    caller.correlationId,
  );
}

/** An order as seed 001 reads it: its total also in integer minor units, beside the invoice. */
const orderView = (invoice: Invoice) => ({
  total: formatMinor(invoice.total_minor, invoice.currency),
  total_minor: invoice.total_minor,
  currency: invoice.currency,
  unit: invoice.currency.toLowerCase(),
  invoice: invoiceView(invoice),
});

/** POST /api/billing/{profile}/checkout[/paylater] (Idempotency-Key: one order). */
export function checkoutRoutes(deps: CheckoutDeps): Router {
  const router = Router();
  bindRoute(router, R.checkoutPayLater, async ({ caller, params, idempotencyKey }) => {
    const invoice = await placeOrder(deps, caller, params.profile, idempotencyKey);
    return {
      data: { ...orderView(invoice), payment: null, paid: false },
      message: 'Order placed; pay later',
    };
  });
  bindRoute(router, R.checkout, async ({ caller, params, body, idempotencyKey }) => {
    const invoice = await placeOrder(deps, caller, params.profile, idempotencyKey);
    // a payments outage answers 503 from here; the order stays as an unpaid invoice
    const payment = await payOrder(deps, caller, invoice, body.payment_method);
    return {
      data: {
        ...orderView(invoice),
        payment,
        paid: payment !== null || invoice.balance_due_minor <= 0,
      },
      message: 'Order placed and paid',
    };
  });
  return router;
}
