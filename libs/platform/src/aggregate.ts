import type { Connection, Model } from 'mongoose';
import { AppError, type EventEnvelope } from '@ledgerline/contracts';
import type { AggregateLocks } from './locks';
import { outboxOnUpdate, type PublishSoon } from './events/outbox';

/**
 * How the store applies one conditional update.
 * - `atomic` (MongoDB): `updateOne({_id, version: n}, ...)` is atomic, so the version condition
 *   alone fences a read-modify-write; a lost race is retried on fresh data and no lock is taken.
 * - `locked` (FerretDB v1): an update is a read followed by a write inside the server, so two
 *   conditional updates can both pass the same version (measured: 50 parallel `$inc` ended at 4).
 *   Every change of one aggregate then runs under its Redis lock, the version staying a fence.
 */
export type StoreWrites = 'atomic' | 'locked';

/**
 * `STORE_WRITES` (atomic|locked) when set, else asked of the server: FerretDB announces itself in
 * `buildInfo.ferretdbVersion`. Unknown servers count as `locked`, the safe side.
 */
export async function detectStoreWrites(
  connection: Connection,
  override?: string,
): Promise<StoreWrites> {
  if (override === 'atomic' || override === 'locked') return override;
  try {
    const info = (await connection.db!.admin().command({ buildInfo: 1 })) as {
      ferretdbVersion?: string;
      version?: string;
    };
    return info.ferretdbVersion || !info.version ? 'locked' : 'atomic';
  } catch {
    return 'locked';
  }
}

/** One kind of aggregate: its collection, how its documents are scoped and named. */
export interface AggregateDefinition {
  /** Lock-key prefix and the noun of its 404 ("Invoice not found"). */
  readonly name: string;
  readonly label: string;
  readonly model: Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The optimistic-concurrency counter every change increments; none = always locked. */
  readonly versionField?: string;
  /** Documents carry `tenant_id` and every load names it (false for platform-wide ones). */
  readonly tenantScoped: boolean;
  /** Added to every load and write: a document outside it (a tombstone) is "not found". */
  readonly live: Record<string, unknown>;
  lockKey(id: string): string;
  /** Its documents carry an outbox (outboxSchemaFields), published by the service's relay. */
  readonly outbox: boolean;
  /** Fills in what older documents lack (lean reads apply no schema defaults). */
  readonly read: (doc: any) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** What the outbox relay needs: it removes published events under the same lock key. */
  readonly relaySource: { model: Model<any>; lockKey: (id: string) => string }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function defineAggregate(opts: {
  name: string;
  label: string;
  model: Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Default `version`; null for documents without one (their changes are always locked). */
  versionField?: string | null;
  tenantScoped?: boolean;
  live?: Record<string, unknown>;
  outbox?: boolean;
  read?: (doc: any) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}): AggregateDefinition {
  const lockKey = (id: string) => `${opts.name}:${id}`;
  return {
    name: opts.name,
    label: opts.label,
    model: opts.model,
    versionField: opts.versionField === null ? undefined : (opts.versionField ?? 'version'),
    tenantScoped: opts.tenantScoped ?? true,
    outbox: opts.outbox ?? true,
    live: opts.live ?? {},
    read: opts.read ?? ((doc) => doc),
    lockKey,
    relaySource: { model: opts.model, lockKey },
  };
}

/** What a decision writes: fields to set, arrays to append to, and the events it announces. */
export interface Change<T> {
  set?: Partial<T>;
  push?: Record<string, unknown>;
  events?: EventEnvelope[];
  /** false: `updated_at` stays (a projection refreshed from another service is not an edit). */
  touch?: boolean;
}

export interface Changed<T> {
  /** The document as the decision saw it. */
  before: T;
  /** `before` with the change's fields set (arrays appended by `push` are not reflected). */
  after: T;
  changed: boolean;
}

export interface AggregateKey {
  id: string;
  /** Required for tenant-scoped aggregates: another tenant's document is "not found". */
  tenantId?: string;
}

const MAX_ATOMIC_ATTEMPTS = 8;
/** The outbox's events stay in the store; whether any are still pending is read (see attempt). */
const OUTBOX_EVENTS = { _outbox: 0, _published_on_insert: 0 };

/**
 * The one way a service changes an existing document: load it (scoped to the tenant), let the
 * caller decide on current data, write the decision with its events in one version-checked
 * update, and wake the outbox relay with the id written. `decide` may throw an AppError to refuse;
 * answering `undefined` (or an empty change) writes nothing.
 *
 * `change` fences the document alone. A decision that also reads documents whose writers hold
 * this aggregate's lock as a guard (a customer's entitlements, a package's pricings) runs inside
 * `guard` and changes through `held`, so the lock is held on MongoDB too.
 */
export function aggregateWriter(runtime: {
  locks: AggregateLocks;
  writes: StoreWrites;
  publishSoon: PublishSoon;
}) {
  /** The document (its outbox left out) and whether its outbox still holds events. */
  async function read<T>(def: AggregateDefinition, key: AggregateKey) {
    const stored = await def.model
      .findOne(filterOf(def, key), OUTBOX_EVENTS)
      .lean<T & { _outbox_pending?: boolean }>()
      .exec();
    if (!stored) throw AppError.notFound(def.label);
    const { _outbox_pending: pending, ...doc } = stored;
    // a document without the flag is taken as pending: the relay reads it rather than trust it
    return { doc: def.read(doc) as T, outboxPending: def.outbox && pending !== false };
  }

  async function load<T>(def: AggregateDefinition, key: AggregateKey): Promise<T> {
    return (await read<T>(def, key)).doc;
  }

  async function attempt<T>(
    def: AggregateDefinition,
    key: AggregateKey,
    decide: Decide<T>,
  ): Promise<Changed<T> | 'lost'> {
    const { doc: before, outboxPending } = await read<T>(def, key);
    const change = await decide(before);
    const events = change?.events ?? [];
    if (!change || (isEmpty(change.set) && isEmpty(change.push) && events.length === 0))
      return { before, after: before, changed: false };
    const version = def.versionField
      ? ((before as Record<string, unknown>)[def.versionField] as number | undefined)
      : undefined;
    const outbox = outboxOnUpdate(events);
    const result = await def.model.updateOne(
      {
        ...filterOf(def, key),
        ...(def.versionField && { [def.versionField]: version ?? { $exists: false } }),
      },
      {
        $set: { ...change.set, ...(events.length > 0 && outbox.$set) },
        ...(def.versionField && { $inc: { [def.versionField]: 1 } }),
        ...((change.push || events.length > 0) && {
          $push: { ...change.push, ...(events.length > 0 && outbox.$push) },
        }),
      },
      change.touch === false ? { timestamps: false } : {},
    );
    if (result.matchedCount === 0) return 'lost';
    // an outbox that held nothing else: the relay publishes these without reading the document
    // back (it clears them only if they are still exactly what it holds). One still holding
    // earlier events may be being published right now: the relay reads it, so nothing leaves twice
    if (events.length > 0)
      runtime.publishSoon(
        [key.id],
        !outboxPending
          ? { collection: def.model.collection.name, outboxes: new Map([[key.id, events]]) }
          : undefined,
      );
    const after = {
      ...before,
      ...change.set,
      ...(def.versionField && { [def.versionField]: (version ?? 0) + 1 }),
    } as T;
    return { before, after, changed: true };
  }

  /** Retries a lost race on fresh data when the version alone fences (MongoDB). */
  async function settle<T>(
    def: AggregateDefinition,
    key: AggregateKey,
    decide: Decide<T>,
  ): Promise<Changed<T>> {
    const retries = runtime.writes === 'atomic' && def.versionField ? MAX_ATOMIC_ATTEMPTS : 1;
    for (let n = 1; ; n++) {
      const outcome = await attempt(def, key, decide);
      if (outcome !== 'lost') return outcome;
      // under the lock only a writer that bypassed it (or a deletion) can have moved the document
      if (n >= retries) throw busy();
    }
  }

  async function remove<T>(
    def: AggregateDefinition,
    key: AggregateKey,
    check: (current: T) => void | Promise<void>,
  ): Promise<T> {
    const current = await load<T>(def, key);
    await check(current);
    // the version too: on MongoDB a change that takes no lock may have moved it since the check
    const version = def.versionField
      ? { [def.versionField]: (current as Record<string, unknown>)[def.versionField] }
      : {};
    const result = await def.model.deleteOne({ ...filterOf(def, key), ...version });
    if (result.deletedCount === 0) throw busy();
    return current;
  }

  const locked = (def: AggregateDefinition) => runtime.writes === 'locked' || !def.versionField;

  function change<T>(
    def: AggregateDefinition,
    key: AggregateKey,
    decide: Decide<T>,
  ): Promise<Changed<T>> {
    if (!locked(def)) return settle(def, key, decide);
    return runtime.locks.withLock(def.lockKey(key.id), () => settle(def, key, decide));
  }

  return {
    writes: runtime.writes,

    /** Reads one document of the aggregate (outbox left out), or throws its 404. */
    load,

    change,

    /**
     * `change`, for a decision whose outcome is known while the document is in an expected state
     * (`expected.when`, conditions on its fields; the common case): one conditional update writes
     * `expected.set` without reading the document first. A document in any other state, or one
     * missing, is decided by `decide` as `change` would. Under the aggregate's lock where `change`
     * takes it (FerretDB's update is a read then a write); on MongoDB the filter is the fence.
     * Announces no events: a change that does goes through `change`.
     */
    async changeExpected<T>(
      def: AggregateDefinition,
      key: AggregateKey,
      expected: { when: Record<string, unknown>; set: Partial<T> },
      decide: Decide<T>,
    ): Promise<{ changed: boolean }> {
      const decideAsExpected = async () => {
        const result = await def.model.updateOne(
          { ...filterOf(def, key), ...expected.when },
          {
            $set: expected.set,
            ...(def.versionField && { $inc: { [def.versionField]: 1 } }),
          },
        );
        return result.matchedCount === 1 ? { changed: true } : settle(def, key, decide);
      };
      if (!locked(def)) return decideAsExpected();
      return runtime.locks.withLock(def.lockKey(key.id), decideAsExpected);
    },

    /**
     * `change`, for an aggregate whose document is born on its first change (a pre-aggregate, a
     * counter): when it is missing, `insert` writes its first state (a duplicate insert by a
     * writer racing this one must be taken as success) and the change runs on it. The common
     * case, a document that exists, costs what `change` costs: no read to find out first.
     */
    async changeOrInsert<T>(
      def: AggregateDefinition,
      key: AggregateKey,
      insert: () => Promise<void>,
      decide: Decide<T>,
    ): Promise<Changed<T>> {
      try {
        return await change(def, key, decide);
      } catch (err) {
        if (!(err instanceof AppError && err.kind === 'not_found')) throw err;
        await insert();
        return change(def, key, decide);
      }
    },

    /** Deletes a document after `check` (which may refuse) has seen it, under its lock. */
    remove<T>(
      def: AggregateDefinition,
      key: AggregateKey,
      check: (current: T) => void | Promise<void> = () => undefined,
    ): Promise<T> {
      return runtime.locks.withLock(def.lockKey(key.id), () => remove(def, key, check));
    },

    /**
     * Decisions that span documents (a plan may not be deleted while tenants use it, a package's
     * pricings may not overlap) hold the lock of the aggregate whose rule it is, whatever the
     * store: a version fences one document only. `fn` changes that aggregate through `held`,
     * which does not take the lock again.
     */
    guard<R>(
      def: AggregateDefinition,
      id: string,
      fn: (held: HeldAggregate) => Promise<R>,
    ): Promise<R> {
      const held: HeldAggregate = {
        change: (tenantId, decide) => settle(def, { id, tenantId }, decide),
        remove: (tenantId, check = () => undefined) => remove(def, { id, tenantId }, check),
      };
      return runtime.locks.withLock(def.lockKey(id), () => fn(held));
    },
  };
}

export type Decide<T> = (current: T) => Change<T> | undefined | Promise<Change<T> | undefined>;

/** The aggregate whose lock a guard holds: changed without taking the lock again. */
export interface HeldAggregate {
  change<T>(tenantId: string | undefined, decide: Decide<T>): Promise<Changed<T>>;
  remove<T>(tenantId: string | undefined, check?: (current: T) => void | Promise<void>): Promise<T>;
}
export type AggregateWriter = ReturnType<typeof aggregateWriter>;

/** For sweeps and cascades: a document gone since it was listed is skipped, not an error. */
export function ignoreNotFound(err: unknown): undefined {
  if (err instanceof AppError && err.kind === 'not_found') return undefined;
  throw err;
}

function filterOf(def: AggregateDefinition, key: AggregateKey): Record<string, unknown> {
  if (!def.tenantScoped) return { _id: key.id, ...def.live };
  if (!key.tenantId) throw new Error(`${def.name}: a tenant-scoped aggregate needs its tenant id`);
  return { _id: key.id, tenant_id: key.tenantId, ...def.live };
}

function isEmpty(value: object | undefined): boolean {
  return !value || Object.keys(value).length === 0;
}

function busy(): AppError {
  return AppError.conflict('changed', 'The resource was changed by another request; retry');
}
