import { Schema, type Connection } from 'mongoose';
import { modelOf, tokenCheckedCache, type RedisClient } from '@ledgerline/platform';

interface MethodSetting {
  _id: string;
  tenant_id: string;
  payment_method: string;
  is_enabled: boolean;
  updated_by: string | null;
  updated_at: Date;
}

const settingSchema = new Schema<MethodSetting>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    payment_method: { type: String, required: true },
    is_enabled: { type: Boolean, required: true },
    updated_by: { type: String, default: null },
    updated_at: { type: Date, required: true },
  },
  { collection: 'payment_method_settings', versionKey: false },
);
settingSchema.index({ tenant_id: 1 });

/**
 * A tenant's choices about its payment methods; a method without a setting is enabled. Every
 * payment asks whether its method is enabled: answered from a copy checked against the tenant's
 * token in Redis (tokenCheckedCache), so a payment costs no store read for it and a change is seen
 * by the next payment in every process.
 */
export function paymentMethodStore(connection: Connection, redis: RedisClient) {
  const model = modelOf<MethodSetting>(connection, 'PaymentMethodSetting', settingSchema);
  const enabled = tokenCheckedCache<boolean>({
    redis,
    name: 'payments:methods',
    load: async (tenantId, method) => {
      const row = await model
        .findById(`${tenantId}:${method}`, { is_enabled: 1 })
        .lean<Pick<MethodSetting, 'is_enabled'>>();
      return row?.is_enabled ?? true;
    },
  });
  return {
    model,
    async settings(tenantId: string): Promise<Map<string, boolean>> {
      const rows = await model
        .find({ tenant_id: tenantId }, { payment_method: 1, is_enabled: 1 })
        .lean<Pick<MethodSetting, 'payment_method' | 'is_enabled'>[]>();
      return new Map(rows.map((r) => [r.payment_method, r.is_enabled]));
    },
    isEnabled: (tenantId: string, method: string): Promise<boolean> =>
      enabled.get(tenantId, method),
    /**
     * Last writer wins: the whole state is one boolean, so no read-modify-write is involved. The
     * tenant's token is replaced before this returns (the copies of every process reload).
     */
    async set(tenantId: string, method: string, isEnabled: boolean, by: string): Promise<void> {
      await model.updateOne(
        { _id: `${tenantId}:${method}` },
        {
          $set: {
            tenant_id: tenantId,
            payment_method: method,
            is_enabled: isEnabled,
            updated_by: by,
            updated_at: new Date(),
          },
        },
        { upsert: true },
      );
      await enabled.changed(tenantId);
    },
  };
}

export type PaymentMethodStore = ReturnType<typeof paymentMethodStore>;
