import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  insertWithOutbox,
  isDuplicateKeyError,
  modelOf,
  searchClause,
  tenantDocumentSchema,
  WITHOUT_OUTBOX,
  type OutboxFields,
  type SearchQuery,
  type TenantDocument,
  type Unsaved,
} from '@ledgerline/platform';

/**
 * Subscriptions to a provider's plans (issue 18); `tenant_id` is the provider. The platform's
 * subscriptions stay on the tenant documents (seed 003) for now.
 */
export type SubscriptionStatus = 'trial' | 'active' | 'past_due' | 'canceled' | 'ended';
export type Subscriber =
  | { kind: 'organization'; tenant_id: string; slug: string; printable_name: string }
  | { kind: 'customer'; customer_id: string };

export interface Subscription extends TenantDocument {
  provider_slug: string;
  subscriber: Subscriber;
  plan_id: string;
  plan_code: string;
  plan_version: number;
  status: SubscriptionStatus;
  seats: number;
  started_at: Date;
  trial_ends_at: Date | null;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  canceled_at: Date | null;
  ends_at: Date | null;
  /**
   * `<plan>:<subscriber>` while the subscription is live (trial or active), `ended:<id>` after:
   * its unique index lets a plan have one live subscription per subscriber, decided by the insert
   * itself (two grants at once make one subscription).
   */
  live_key: string;
  /** A change that takes effect at the current period's end (a downgrade), or null. */
  pending_change?: PendingChange | null;
  /**
   * Credit owed to the subscriber (a downgrade taken at once: the unused days of fees paid in
   * advance), used up by the subscription's next invoices; null or absent: none.
   */
  credit_balance?: SpendLimit | null;
  /** Spend control: what its usage charges may cost per period, in the plan's currency. */
  spend_limit?: SpendLimit | null;
  /** Its overdue invoices (dunning, issue 17): past_due while any is unpaid. */
  past_due_invoices?: string[];
  /**
   * Credit notes whose refused amount came back to `credit_balance` (SubscriptionCreditReturned),
   * the latest 50: a redelivered return is recognised and adds nothing.
   */
  credit_returns?: string[];
  revision?: number;
}

/** An amount in the subscription's currency (its plan's: a plan change keeps the currency). */
export interface SpendLimit {
  amount_minor: number;
  currency: string;
}

export interface PendingChange {
  plan_id: string;
  plan_code: string;
  plan_version: number;
  seats: number;
}

/** Live: usage counts and periods renew; past_due (an overdue invoice) is still live. */
export const LIVE_STATUSES: SubscriptionStatus[] = ['trial', 'active', 'past_due'];
export const CHURNED_STATUSES: SubscriptionStatus[] = ['canceled', 'ended'];

/** Seed 001's subscriber search names, as stored. */
export const SUBSCRIPTION_SEARCH = {
  printable_name: 'subscriber.printable_name',
  slug: 'subscriber.slug',
  status: 'status',
} as const;

export function subscriberKey(s: Subscriber): string {
  return s.kind === 'organization' ? `org:${s.tenant_id}` : `cus:${s.customer_id}`;
}
export function liveKey(planId: string, s: Subscriber): string {
  return `${planId}:${subscriberKey(s)}`;
}

const schema = tenantDocumentSchema<Subscription & OutboxFields>(
  {
    provider_slug: { type: String, required: true },
    subscriber: { type: Schema.Types.Mixed, required: true },
    plan_id: { type: String, required: true },
    plan_code: { type: String, required: true },
    plan_version: { type: Number, required: true },
    status: { type: String, required: true },
    seats: { type: Number, default: 1 },
    started_at: { type: Date, required: true },
    trial_ends_at: { type: Date, default: null },
    current_period_start: { type: Date, required: true },
    current_period_end: { type: Date, required: true },
    cancel_at_period_end: { type: Boolean, default: false },
    canceled_at: { type: Date, default: null },
    ends_at: { type: Date, default: null },
    live_key: { type: String, required: true },
    pending_change: { type: Schema.Types.Mixed, default: null },
    spend_limit: { type: Schema.Types.Mixed, default: null },
    credit_balance: { type: Schema.Types.Mixed, default: null },
    past_due_invoices: { type: [String], default: [] },
    credit_returns: { type: [String], default: [] },
    revision: { type: Number, default: 1 },
  },
  { collection: 'subscriptions', outbox: true },
);
schema.index({ tenant_id: 1, live_key: 1 }, { unique: true });
schema.index({ tenant_id: 1, plan_id: 1, created_at: -1 });
schema.index({ 'subscriber.tenant_id': 1 });
schema.index({ status: 1, current_period_end: 1 });

export function subscriptionStore(connection: Connection) {
  const model = modelOf<Subscription & OutboxFields>(connection, 'Subscription', schema);
  return {
    aggregate: defineAggregate({
      name: 'subscription',
      label: 'Subscription',
      model,
      versionField: 'revision',
    }),
    /** Inserts it with its events; null when the subscriber has this plan live already. */
    async insert(doc: Unsaved<Subscription>, events: EventEnvelope[]) {
      try {
        return await insertWithOutbox<Subscription>(model, doc, events);
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    },
    async findLive(tenantId: string, key: string): Promise<Subscription | null> {
      return model
        .findOne({ tenant_id: tenantId, live_key: key }, WITHOUT_OUTBOX)
        .lean<Subscription>();
    },
    /** The subscriber's subscription to the plan: the live one, else the latest. */
    async findForSubscriber(
      tenantId: string,
      planId: string,
      subscriber: { slug?: string; customerId?: string },
    ): Promise<Subscription | null> {
      const who = subscriber.slug
        ? { 'subscriber.slug': subscriber.slug }
        : { 'subscriber.customer_id': subscriber.customerId };
      const all = await model
        .find({ tenant_id: tenantId, plan_id: planId, ...who }, WITHOUT_OUTBOX)
        .sort({ created_at: -1 })
        .lean<Subscription[]>();
      return all.find((s) => LIVE_STATUSES.includes(s.status)) ?? all[0] ?? null;
    },
    /** By id, whatever its provider: the usage read lets the subscriber's members in too. */
    async findById(id: string): Promise<Subscription | null> {
      return model.findOne({ _id: id }, WITHOUT_OUTBOX).lean<Subscription>();
    },
    /** The provider's subscriptions among `ids`, each read by id (usage ingestion). */
    async findOwned(tenantId: string, ids: readonly string[]): Promise<Subscription[]> {
      const found = await Promise.all(
        ids.map((id) =>
          model.findOne({ _id: id, tenant_id: tenantId }, WITHOUT_OUTBOX).lean<Subscription>(),
        ),
      );
      return found.filter((s): s is Subscription => s !== null);
    },
    /** The live subscriptions of subscribers named by organization slug or customer id. */
    async liveOfSubscribers(tenantId: string, names: readonly string[]): Promise<Subscription[]> {
      if (names.length === 0) return [];
      return model
        .find(
          {
            tenant_id: tenantId,
            status: { $in: LIVE_STATUSES },
            $or: [
              { 'subscriber.slug': { $in: names.map((n) => n.toLowerCase()) } },
              { 'subscriber.customer_id': { $in: names } },
            ],
          },
          WITHOUT_OUTBOX,
        )
        .lean<Subscription[]>();
    },
    async countLive(tenantId: string, planId: string): Promise<number> {
      return model.countDocuments({
        tenant_id: tenantId,
        plan_id: planId,
        status: { $in: LIVE_STATUSES },
      });
    },
    /** A provider's subscriptions, newest first, of some statuses and optionally one plan. */
    async list(
      tenantId: string,
      opts: { statuses?: SubscriptionStatus[]; planId?: string; search?: SearchQuery },
      page: number,
      perPage: number,
    ) {
      const filter = {
        tenant_id: tenantId,
        ...(opts.planId && { plan_id: opts.planId }),
        ...(opts.statuses && { status: { $in: opts.statuses } }),
        ...(opts.search && searchClause(opts.search, SUBSCRIPTION_SEARCH)),
      };
      return findPage<Subscription>(model, filter, { created_at: -1, _id: -1 }, { page, perPage });
    },
    /** An organization's subscriptions to every provider, newest first. */
    async ofOrganization(subscriberTenantId: string): Promise<Subscription[]> {
      return model
        .find({ 'subscriber.tenant_id': subscriberTenantId }, WITHOUT_OUTBOX)
        .sort({ created_at: -1 })
        .limit(500)
        .lean<Subscription[]>();
    },
    /** Live subscriptions of every provider whose period ended by `before`, oldest first. */
    async dueForRenewal(before: Date, limit: number): Promise<Subscription[]> {
      return model
        .find(
          { status: { $in: LIVE_STATUSES }, current_period_end: { $lte: before } },
          WITHOUT_OUTBOX,
        )
        .sort({ current_period_end: 1 })
        .limit(limit)
        .lean<Subscription[]>();
    },
    /**
     * One page of a provider's live subscriptions in `_id` order after `afterId` (a renewal run's
     * cursor: a page is never read twice, whatever the renewals change in between).
     */
    async livePage(tenantId: string, afterId: string | null, limit: number) {
      return model
        .find(
          {
            tenant_id: tenantId,
            status: { $in: LIVE_STATUSES },
            ...(afterId !== null && { _id: { $gt: afterId } }),
          },
          { _id: 1, tenant_id: 1, current_period_end: 1 },
        )
        .sort({ _id: 1 })
        .limit(limit)
        .lean<Pick<Subscription, '_id' | 'tenant_id' | 'current_period_end'>[]>();
    },
    async removeTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type SubscriptionStore = ReturnType<typeof subscriptionStore>;
