import { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { AppError, type EventEnvelope } from '@ledgerline/contracts';
import { createBreaker } from './breaker';
import type { AggregateLocks } from './locks';
import { snapshotCopy } from './snapshot-copy';
import type { EventHandlers } from './events/consumer';

/**
 * The tenants service's answer on a tenant's plan limits as they are now (its internal route
 * `GET /internal/tenants/:id/plan-limits`). `known: false` means tenants holds no such tenant:
 * a plan is only ever given by tenants itself, so such a tenant has none (a sign-up tenants has
 * not consumed yet) and no limits.
 */
export interface OwnerPlanLimits {
  tenant_id: string;
  known: boolean;
  status: string;
  limits: Record<string, number>;
  /** Grows with every change of the tenant's plan or of its plan's limits (TenantPlanChanged). */
  revision: number;
}

/** Who decides a tenant's limits when this service's copy cannot. */
export interface PlanLimitsOwner {
  current(tenantId: string): Promise<OwnerPlanLimits>;
}

/** Where the tenants service is, for every service that enforces a plan limit. */
export const tenantsEnv = {
  TENANTS_URL: z.url().default('http://127.0.0.1:4002'),
  TENANTS_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
};

/** Asks the tenants service, behind a breaker with a timeout: unreachable answers 503. */
export function tenantsPlanLimitsOwner(opts: {
  TENANTS_URL: string;
  TENANTS_TIMEOUT_MS: number;
}): PlanLimitsOwner {
  const timeoutMs = opts.TENANTS_TIMEOUT_MS;
  const call = createBreaker(
    async (tenantId: string): Promise<OwnerPlanLimits> => {
      const res = await fetch(
        `${opts.TENANTS_URL}/internal/tenants/${encodeURIComponent(tenantId)}/plan-limits`,
        { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) },
      );
      if (!res.ok) throw new Error(`tenants answered ${res.status}`);
      return ((await res.json()) as { data: OwnerPlanLimits }).data;
    },
    { name: 'tenants', timeoutMs: timeoutMs + 500 },
  );
  return { current: (tenantId) => call.fire(tenantId) };
}

interface TenantLimitsDoc {
  _id: string;
  tenant_id: string;
  limits: Record<string, number>;
  status: string;
  /** The owner's revision of these limits; absent on copies from events published before it. */
  revision?: number;
  as_of: Date;
}

const limitsSchema = new Schema<TenantLimitsDoc>(
  {
    _id: String,
    tenant_id: String,
    limits: Schema.Types.Mixed,
    status: String,
    revision: Number,
    as_of: Date,
  },
  { collection: 'tenant_limits', versionKey: false, minimize: false },
);

/** Whether `next` is at least as new as `current`: by the owner's revision, else by time. */
function supersedes(current: TenantLimitsDoc, next: TenantLimitsDoc): boolean {
  if (
    current.revision !== undefined &&
    next.revision !== undefined &&
    current.revision !== next.revision
  )
    return next.revision > current.revision;
  return new Date(next.as_of) >= new Date(current.as_of);
}

function refusal(metric: string, limit: number): AppError {
  return new AppError(
    'plan_limit_reached',
    `Your plan allows ${limit} ${metric}; upgrade the plan to add more`,
    { details: [{ field: metric, message: `plan limit of ${limit} reached` }] },
  );
}

/**
 * The plan limits of each tenant: a copy kept from the tenants service's TenantPlanChanged events
 * (the fast path), and the one decision every service enforcing a limit makes with it. The copy
 * never makes a tenant unlimited: a tenant it does not hold yet is asked of `owner` (the answer
 * becomes the copy), and without an answer the creation is refused with 503. Processes that only
 * keep or read the copy (a consumer) may leave `owner` out; `withinLimit` then fails closed.
 */
export function planLimits(connection: Connection, locks: AggregateLocks, owner?: PlanLimitsOwner) {
  const model: Model<TenantLimitsDoc> =
    (connection.models.TenantLimits as Model<TenantLimitsDoc> | undefined) ??
    connection.model<TenantLimitsDoc>('TenantLimits', limitsSchema);

  const copies = snapshotCopy<TenantLimitsDoc>({
    name: 'tenant-limits',
    model,
    locks,
    isNewer: (next, current) => supersedes(current, next),
  });
  /** Stores `next` unless the copy is newer (events arrive late and twice); answers the copy. */
  const keep = async (next: TenantLimitsDoc) => (await copies.keep(next)).kept;

  /** The owner's current answer, kept as the copy. */
  async function ask(tenantId: string): Promise<TenantLimitsDoc> {
    if (!owner)
      throw AppError.unavailable('The plan limits of this tenant are not known yet; retry shortly');
    const answer = await owner.current(tenantId);
    return keep({
      _id: tenantId,
      tenant_id: tenantId,
      limits: answer.limits,
      status: answer.known ? answer.status : 'unknown',
      revision: answer.revision,
      as_of: new Date(),
    });
  }

  return {
    handlers: {
      TenantPlanChanged: async (event: EventEnvelope<'TenantPlanChanged'>) => {
        await keep({
          _id: event.tenant_id,
          tenant_id: event.tenant_id,
          limits: event.data.limits,
          status: event.data.status,
          ...(event.data.revision !== undefined && { revision: event.data.revision }),
          as_of: new Date(event.occurred_at),
        });
      },
    } satisfies EventHandlers,

    /**
     * Runs `create` only if the tenant has room under its limit for `metric` for `adding` more
     * (one by default); `count` answers how many exist now, so a deletion frees a place. Count and
     * create of one tenant and metric run under one lock, so two cannot both take the last place.
     * A refusal by the copy is checked with the owner first: an upgrade a moment ago whose event
     * has not arrived yet never gets a wrong 403 (unless tenants cannot be reached then).
     */
    async withinLimit<T>(
      tenantId: string,
      metric: string,
      count: () => Promise<number>,
      create: () => Promise<T>,
      adding = 1,
    ): Promise<T> {
      return locks.withLock(`limit:${tenantId}:${metric}`, async () => {
        const copy = await model.findById(tenantId).lean<TenantLimitsDoc>();
        let limit = (copy ?? (await ask(tenantId))).limits?.[metric];
        if (limit !== undefined) {
          const used = await count();
          if (used + adding > limit && copy) {
            // tenants unreachable: the copy's refusal stands (still closed, and what we know)
            const current = await ask(tenantId).catch(() => copy);
            limit = current.limits?.[metric];
          }
          if (limit !== undefined && used + adding > limit) throw refusal(metric, limit);
        }
        return create();
      });
    },
  };
}
export type PlanLimits = ReturnType<typeof planLimits>;
