import type { EventEnvelope, EventType } from '@ledgerline/contracts';
import type { EventHandler } from './consumer';

const OWN_MARKER = Symbol('ownMarker');

/**
 * Marks a handler that records its own idempotency marker in the same write as its effect (as
 * settlement does with the invoice's `applied_payments`): the consumer then neither looks its
 * events up in `processed_events` nor writes markers for them, two round trips saved per batch.
 * Only for handlers whose replay is a no-op by construction: a marker in the effect's own write,
 * an effect keyed by the fact (the ledger's source keys, credit grants' unique keys), or a copy
 * that keeps only a newer version.
 */
export function ownMarker<T extends EventType>(handler: EventHandler<T>): EventHandler<T> {
  return Object.assign(handler, { [OWN_MARKER]: true });
}

export const keepsOwnMarker = (handler: EventHandler | undefined): boolean =>
  handler !== undefined && (handler as { [OWN_MARKER]?: boolean })[OWN_MARKER] === true;

/**
 * A second way of taking events that a handler carries beside its one-event form (`mark`), found
 * again by the consumer (`of`). Such a handler keeps its own markers (see ownMarker).
 */
function handlerKind<F>() {
  const extras = new WeakMap<object, F>();
  return {
    mark<T extends EventType>(one: EventHandler<T>, extra: F): EventHandler<T> {
      extras.set(one, extra);
      return ownMarker(one);
    },
    of: (handler: EventHandler | undefined): F | undefined => handler && extras.get(handler),
  };
}

export type ManyHandler = (events: EventEnvelope[]) => Promise<void>;
const many = handlerKind<ManyHandler>();

/**
 * A handler that can also apply many events at once (`many`: one insert of many facts), for
 * effects keyed by their fact, whose order against the partition's other events does not matter:
 * the consumer hands `many` all of a batch's new events of the type before it runs the others by
 * key. If `many` fails (not an outage), those events are handled one by one with `one` like any
 * other (retries, dead letter). Its keyed effect is its marker (see ownMarker).
 */
export function inBatches<T extends EventType>(
  one: EventHandler<T>,
  fn: (events: EventEnvelope<T>[]) => Promise<void>,
): EventHandler<T> {
  return many.mark(one, fn as ManyHandler);
}

export const manyOf = many.of;

export type RunHandler = (events: EventEnvelope[]) => Promise<void>;
const runs = handlerKind<RunHandler>();

/**
 * A handler that can also apply a run of one key's consecutive events of its type in one call
 * (`run`: one change of the key's aggregate for several events, in offset order), for a group
 * that falls behind on one aggregate: its batch then holds many events of the same key, each of
 * which would otherwise read and write the aggregate in turn. Its effect keeps its own markers
 * (see ownMarker): `run` skips the events already applied. If `run` fails (not an outage), the
 * run's events are handled one by one with `one` like any other (retries, dead letter).
 */
export function inRuns<T extends EventType>(
  one: EventHandler<T>,
  run: (events: EventEnvelope<T>[]) => Promise<void>,
): EventHandler<T> {
  return runs.mark(one, run as RunHandler);
}

export const runOf = runs.of;
