import { Schema, type Connection, type Model } from 'mongoose';
import { AppError, type EventEnvelope } from '@ledgerline/contracts';
import type { AggregateLocks } from './locks';
import type { EventHandlers } from './events/consumer';

/**
 * Deletes every document of a tenant from every collection of this service that carries a
 * `tenant_id` (every stored document does, by convention). Idempotent: a repeat deletes nothing.
 */
export async function deleteTenantDocuments(
  connection: Connection,
  tenantId: string,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const model of Object.values(connection.models)) {
    if (!model.schema.path('tenant_id')) continue;
    const result = await model.deleteMany({ tenant_id: tenantId });
    deleted[model.collection.name] = result.deletedCount;
  }
  return deleted;
}

interface TenantLimitsDoc {
  _id: string;
  tenant_id: string;
  limits: Record<string, number>;
  status: string;
  as_of: Date;
}

const limitsSchema = new Schema<TenantLimitsDoc>(
  { _id: String, tenant_id: String, limits: Schema.Types.Mixed, status: String, as_of: Date },
  { collection: 'tenant_limits', versionKey: false, minimize: false },
);

/**
 * The plan limits of each tenant, kept from the tenants service's TenantPlanChanged events, so a
 * service can refuse a creation beyond its plan (403 plan_limit_reached) without a synchronous
 * call. A tenant whose plan is unknown yet (or has no limit for the metric) is not limited.
 */
export function planLimits(connection: Connection, locks: AggregateLocks) {
  const model: Model<TenantLimitsDoc> =
    (connection.models.TenantLimits as Model<TenantLimitsDoc> | undefined) ??
    connection.model<TenantLimitsDoc>('TenantLimits', limitsSchema);

  async function apply(event: EventEnvelope<'TenantPlanChanged'>): Promise<void> {
    const asOf = new Date(event.occurred_at);
    await locks.withLock(`tenant-limits:${event.tenant_id}`, async () => {
      const current = await model.findById(event.tenant_id).lean<TenantLimitsDoc>();
      if (current && current.as_of > asOf) return; // an older event, delivered late
      await model.replaceOne(
        { _id: event.tenant_id },
        {
          tenant_id: event.tenant_id,
          limits: event.data.limits,
          status: event.data.status,
          as_of: asOf,
        },
        { upsert: true },
      );
    });
  }

  return {
    handlers: {
      TenantPlanChanged: apply,
    } satisfies EventHandlers,

    /**
     * Runs `create` only if the tenant has room under its limit for `metric` for `adding` more
     * (one by default); `count` answers how many exist now. Creations of one tenant and metric
     * are serialised so two cannot both take the last place.
     */
    async withinLimit<T>(
      tenantId: string,
      metric: string,
      count: () => Promise<number>,
      create: () => Promise<T>,
      adding = 1,
    ): Promise<T> {
      return locks.withLock(`limit:${tenantId}:${metric}`, async () => {
        const doc = await model.findById(tenantId).lean<TenantLimitsDoc>();
        const limit = doc?.limits?.[metric];
        if (limit !== undefined && (await count()) + adding > limit) {
          throw new AppError(
            'plan_limit_reached',
            `Your plan allows ${limit} ${metric}; upgrade the plan to add more`,
            {
              details: [{ field: metric, message: `plan limit of ${limit} reached` }],
            },
          );
        }
        return create();
      });
    },
  };
}
export type PlanLimits = ReturnType<typeof planLimits>;
