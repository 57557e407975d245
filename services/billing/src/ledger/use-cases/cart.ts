import { createHash } from 'node:crypto';
import {
  AppError,
  formatMinor,
  minorJson,
  multiplyMinor,
  sumMinorExact,
  type CartItemRequest,
} from '@ledgerline/contracts';
import { createInvoice } from '../../use-cases/invoices';
import type { Invoice } from '../../store/invoices';
import { cartLockKey, type Cart, type CartItem } from '../store/carts';
import type { PlanRecord } from '../store/projections';
import type { LedgerCaller, LedgerDeps } from './deps';

interface PricedItem extends CartItem {
  plan: PlanRecord;
  unitMinor: number;
  amountMinor: number;
}

async function price(deps: LedgerDeps, items: CartItem[]): Promise<PricedItem[]> {
  const priced: PricedItem[] = [];
  for (const [i, item] of items.entries()) {
    const plan = await deps.projections.findPlan(item.plan_id);
    if (!plan || !plan.is_active) {
      throw AppError.validation('A plan in the cart is no longer available', [
        { field: `items.${i}.plan`, message: 'unknown or inactive plan' },
      ]);
    }
    const unitMinor = item.option === 'yearly' ? plan.price_yearly_minor : plan.price_monthly_minor;
    priced.push({ ...item, plan, unitMinor, amountMinor: multiplyMinor(unitMinor, item.quantity) });
  }
  return priced;
}

/** Decimal strings, and seed 001's integer minor units beside them. */
function cartView(priced: PricedItem[]) {
  const currency = priced[0]?.plan.currency ?? null;
  const single = priced.every((p) => p.plan.currency === currency);
  const total = currency && single ? sumMinorExact(priced.map((p) => p.amountMinor)) : null;
  return {
    items: priced.map((p) => ({
      plan: p.plan_id,
      name: p.plan.name,
      option: p.option,
      quantity: p.quantity,
      unit_price: formatMinor(p.unitMinor, p.plan.currency),
      unit_price_minor: p.unitMinor,
      amount: formatMinor(p.amountMinor, p.plan.currency),
      amount_minor: p.amountMinor,
      currency: p.plan.currency,
      unit: p.plan.currency.toLowerCase(),
    })),
    total: currency && total !== null ? formatMinor(total, currency) : null,
    total_minor: total === null ? null : minorJson(total),
    currency: single ? currency : null,
    unit: single && currency ? currency.toLowerCase() : null,
  };
}

/** Seed 001 "Add to cart": the same plan and option again raises its quantity. */
export async function addToCart(deps: LedgerDeps, caller: LedgerCaller, req: CartItemRequest) {
  const plan = await deps.projections.findPlan(req.plan);
  if (!plan || !plan.is_active) throw AppError.notFound('Plan');
  return deps.locks.withLock(cartLockKey(caller.tenantId, caller.userId), async () => {
    const cart = await deps.carts.find(caller.tenantId, caller.userId);
    const existing = cart.items.find((i) => i.plan_id === plan._id && i.option === req.option);
    const items = existing
      ? cart.items.map((i) => (i === existing ? { ...i, quantity: i.quantity + req.quantity } : i))
      : [...cart.items, { plan_id: plan._id, option: req.option, quantity: req.quantity }];
    const saved = await deps.carts.save(cart, items);
    return cartView(await price(deps, saved.items));
  });
}

export async function getCart(deps: LedgerDeps, caller: LedgerCaller) {
  const cart = await deps.carts.find(caller.tenantId, caller.userId);
  return cartView(await price(deps, cart.items));
}

export async function clearCart(deps: LedgerDeps, caller: LedgerCaller) {
  await deps.locks.withLock(cartLockKey(caller.tenantId, caller.userId), async () => {
    const cart = await deps.carts.find(caller.tenantId, caller.userId);
    if (cart.items.length > 0) await deps.carts.save(cart, []);
  });
}

function checkoutInvoiceId(caller: LedgerCaller, cart: Cart, idempotencyKey?: string): string {
  const basis = idempotencyKey
    ? `${caller.tenantId}|${caller.userId}|key|${idempotencyKey}`
    : `${caller.tenantId}|${caller.userId}|cart|${cart.version}`;
  return `inv_co_${createHash('sha256').update(basis).digest('hex').slice(0, 24)}`;
}

/**
 * Seed 001 "execute order": the cart becomes an issued invoice from the platform tenant to the
 * buying tenant (its customer), with one line per cart item; the cart is emptied. The invoice id
 * is derived from the cart's version (or the Idempotency-Key), so a retried checkout answers the
 * same invoice instead of a second one.
 */
export async function placeOrder(
  deps: LedgerDeps,
  caller: LedgerCaller,
  profile: string,
  idempotencyKey?: string,
): Promise<Invoice> {
  if (profile !== caller.tenantId) throw AppError.notFound('Profile');
  return deps.locks.withLock(cartLockKey(caller.tenantId, caller.userId), async () => {
    const cart = await deps.carts.find(caller.tenantId, caller.userId);
    const id = checkoutInvoiceId(caller, cart, idempotencyKey);
    const platformCaller = { ...caller, tenantId: deps.platformTenantId };
    if (idempotencyKey) {
      const earlier = await deps.invoicing.invoices.findById(deps.platformTenantId, id);
      if (earlier) return earlier;
    }
    if (cart.items.length === 0) {
      throw AppError.validation('The cart is empty', [
        { field: 'cart', message: 'add a plan with POST /api/cart first' },
      ]);
    }
    const priced = await price(deps, cart.items);
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
    await deps.carts.save(cart, []);
    return invoice;
  });
}

/** "Pay now": the order's balance is paid through the payments service. */
export async function payOrder(
  deps: LedgerDeps,
  caller: LedgerCaller,
  invoice: Invoice,
  paymentMethod: string,
): Promise<Record<string, unknown> | null> {
  if (invoice.balance_due_minor <= 0) return null;
  return deps.payments.recordPayment(
    {
      tenant_id: deps.platformTenantId,
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
