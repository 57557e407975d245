import {
  AppError,
  formatMinor,
  minorJson,
  multiplyMinor,
  sumMinorExact,
  type CartItemRequest,
} from '@ledgerline/contracts';
import { cartLockKey, type CartItem } from '../store/carts';
import type { PlanRecord } from '../store/projections';
import type { LedgerCaller, LedgerDeps } from './deps';

export interface PricedItem extends CartItem {
  plan: PlanRecord;
  unitMinor: number;
  amountMinor: number;
}

/** The cart's items at their plans' current prices (422 naming an item no longer on sale). */
export async function price(deps: LedgerDeps, items: CartItem[]): Promise<PricedItem[]> {
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
