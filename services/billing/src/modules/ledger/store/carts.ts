import { Schema, type Connection } from 'mongoose';
import { modelOf } from '@ledgerline/platform';

export interface CartItem {
  plan_id: string;
  option: 'monthly' | 'yearly';
  quantity: number;
}

/** One cart per user and tenant (seed 001's cart before checkout). */
export interface Cart {
  _id: string;
  tenant_id: string;
  user_id: string;
  items: CartItem[];
  version: number;
  updated_at: Date;
}

const cartSchema = new Schema<Cart>(
  {
    _id: String,
    tenant_id: { type: String, required: true },
    user_id: String,
    items: [{ _id: false, plan_id: String, option: String, quantity: Number }],
    version: Number,
    updated_at: Date,
  },
  { collection: 'carts', versionKey: false },
);

export const cartLockKey = (tenantId: string, userId: string) => `cart:${tenantId}:${userId}`;

/** Call the writers under cartLockKey: FerretDB updates are read-then-write. */
export function cartStore(connection: Connection) {
  const model = modelOf<Cart>(connection, 'Cart', cartSchema);
  const id = (tenantId: string, userId: string) => `${tenantId}:${userId}`;
  return {
    model,
    async find(tenantId: string, userId: string): Promise<Cart> {
      const cart = await model
        .findOne({ _id: id(tenantId, userId), tenant_id: tenantId })
        .lean<Cart>();
      return (
        cart ?? {
          _id: id(tenantId, userId),
          tenant_id: tenantId,
          user_id: userId,
          items: [],
          version: 0,
          updated_at: new Date(),
        }
      );
    },
    async save(cart: Cart, items: CartItem[]): Promise<Cart> {
      const next = { ...cart, items, version: cart.version + 1, updated_at: new Date() };
      await model.replaceOne({ _id: cart._id, tenant_id: cart.tenant_id }, next, { upsert: true });
      return next;
    },
    async deleteTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type CartStore = ReturnType<typeof cartStore>;
