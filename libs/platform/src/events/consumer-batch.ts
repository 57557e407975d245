import { setTimeout as sleep } from 'node:timers/promises';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import {
  deadLetterTopic,
  parseEvent,
  type EventEnvelope,
  type EventType,
} from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { isUnavailableError } from '../dependency-errors';
import type { ConsumerOptions, EventHandler } from './consumer';
import type { OffsetCommits } from './offset-commits';

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

const keepsOwnMarker = (handler: EventHandler | undefined): boolean =>
  handler !== undefined && (handler as { [OWN_MARKER]?: boolean })[OWN_MARKER] === true;

const MANY = Symbol('many');
type ManyHandler = (events: EventEnvelope[]) => Promise<void>;

/**
 * A handler that can also apply many events at once (`many`: one insert of many facts), for
 * effects keyed by their fact, whose order against the partition's other events does not matter:
 * the consumer hands `many` all of a batch's new events of the type before it runs the others by
 * key. If `many` fails (not an outage), those events are handled one by one with `one` like any
 * other (retries, dead letter). Its keyed effect is its marker (see ownMarker).
 */
export function inBatches<T extends EventType>(
  one: EventHandler<T>,
  many: (events: EventEnvelope<T>[]) => Promise<void>,
): EventHandler<T> {
  return ownMarker(Object.assign(one, { [MANY]: many }));
}

const manyOf = (handler: EventHandler | undefined): ManyHandler | undefined =>
  (handler as { [MANY]?: ManyHandler } | undefined)?.[MANY];

/** A batch this large says the group is behind: its next fetch goes at once. */
const LINGER_BELOW = 500;

/** One message of a batch and what became of it. */
interface Item {
  message: KafkaMessage;
  event?: EventEnvelope;
  handler?: EventHandler;
  /** Handled, skipped as a duplicate, without a handler here, or dead-lettered. */
  done: boolean;
}

/**
 * Handles one fetched batch of one partition:
 * - the batch's events are looked up in the processed-event markers at once, and the events
 *   handled here are marked in one write afterwards (an event twice in a batch is handled once);
 * - the events of handlers that take many at once (`inBatches`) go first, one call per handler;
 * - events of different keys (aggregates) run concurrently, each key's events in offset order:
 *   Kafka orders events per key only (two keys usually land on different partitions anyway);
 * - the offset resolved (and so committed) is that of the last message before the first one not
 *   done, so a message whose handler hit an outage, and everything after it, is fetched again;
 *   those after it that were handled find their markers and are skipped;
 * - a refused heartbeat (a rebalance started) ends the batch after the events under way, whose
 *   markers and offset are written and committed before the member rejoins;
 * - a batched group (`batchWindowMs`) lingers after a small batch, so its next fetch brings the
 *   window's events at once rather than one fetch each: kafkajs fetches again only when the last
 *   fetch's batches are done. An event after a quiet spell is fetched at once all the same (the
 *   fetch was waiting for it); at 50 payments/s the eight groups on the billing topic went from a
 *   fetch per event each to one per window (docs/benchmarks.md, Issue 19, eleventh pass).
 * A failing event is retried with backoff and then dead-lettered, as one message at a time was.
 */
export function batchHandler(opts: ConsumerOptions, log: Logger, commits: OffsetCommits) {
  const maxAttempts = opts.maxAttempts ?? 5;
  // one window for the batches of one fetch (they finish at about the same time): a batch that
  // ends inside the window waits for its end, not for a window of its own
  let windowEnds = 0;
  const linger = async (windowMs: number) => {
    const now = Date.now();
    if (now >= windowEnds) windowEnds = now + windowMs;
    await sleep(windowEnds - now);
  };

  async function deadLetter(topic: string, message: KafkaMessage, reason: string): Promise<void> {
    await opts.producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason.slice(0, 500),
            'dlq-source-topic': topic,
            'dlq-offset': message.offset,
            'dlq-group': opts.groupId,
          },
        },
      ],
    });
    log.error({ topic, offset: message.offset, reason }, 'message sent to dead-letter topic');
  }

  /** Runs the item's handler with bounded retries; true when handled, false when dead-lettered. */
  async function handle(topic: string, item: Item): Promise<boolean> {
    const { event, handler } = item as Required<Item>;
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event);
        return true;
      } catch (err) {
        if (isUnavailableError(err)) throw err; // not the message's fault: redeliver later
        if (attempt >= maxAttempts) {
          await deadLetter(topic, item.message, (err as Error).message ?? 'handler failed');
          return false;
        }
        log.warn({ err, eventId: event.id, attempt }, 'event handler failed; retrying');
        await sleep((opts.retryDelayMs ?? 100) * 2 ** (attempt - 1));
      }
    }
  }

  async function parse(topic: string, message: KafkaMessage): Promise<Item> {
    try {
      const event = parseEvent(JSON.parse(message.value?.toString('utf8') ?? ''));
      const handler = opts.handlers[event.type] as EventHandler | undefined;
      return { message, event, handler, done: !handler };
    } catch (err) {
      await deadLetter(topic, message, `unparseable event: ${(err as Error).message}`);
      return { message, done: true };
    }
  }

  /** The items whose handlers take many events at once, a call per handler; answers an outage. */
  async function applyInBatches(items: Item[]): Promise<unknown> {
    const groups = new Map<ManyHandler, Item[]>();
    for (const item of items) {
      const many = manyOf(item.handler);
      if (many) groups.set(many, [...(groups.get(many) ?? []), item]);
    }
    for (const [many, group] of groups) {
      const events = [...new Map(group.map((i) => [i.event!.id, i.event!])).values()];
      try {
        await many(events);
        for (const item of group) item.done = true;
      } catch (err) {
        if (isUnavailableError(err)) return err;
        log.warn({ err, events: events.length }, 'batched handler failed; handling one by one');
      }
    }
    return undefined;
  }

  return async (payload: EachBatchPayload): Promise<void> => {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic } = batch;
    const items: Item[] = [];
    for (const message of batch.messages) items.push(await parse(topic, message));

    const pending = items.filter((i) => !i.done);
    const marked = (i: Item) => !keepsOwnMarker(i.handler);
    const seen = await opts.processed.seen(opts.groupId, [
      ...new Set(pending.filter(marked).map((i) => i.event!.id)),
    ]);
    for (const item of pending) {
      if (!seen.has(item.event!.id)) continue;
      log.debug({ eventId: item.event!.id }, 'duplicate event skipped');
      item.done = true;
    }
    let outage = await applyInBatches(pending.filter((i) => !i.done));
    const byKey = new Map<string, Item[]>();
    for (const item of pending) {
      if (item.done) continue;
      const key = item.message.key?.toString('utf8') ?? '';
      const queue = byKey.get(key);
      if (queue) queue.push(item);
      else byKey.set(key, [item]);
    }

    const handled: string[] = [];
    // a heartbeat refused (a rebalance started): stop taking events, but keep what is done (its
    // markers and offset are written and committed below), so the partition's next owner does
    // not do a finished chunk again; then rejoin
    let rejoin: unknown;
    const beat = async () => {
      try {
        await heartbeat(); // kafkajs sends one only when the interval is due
      } catch (err) {
        rejoin ??= err;
      }
    };
    const runKey = async (queue: Item[]) => {
      const inBatch = new Set<string>();
      for (const item of queue) {
        if (outage !== undefined || rejoin !== undefined || !isRunning() || isStale()) return;
        const id = item.event!.id;
        if (!inBatch.has(id)) {
          inBatch.add(id);
          try {
            if ((await handle(topic, item)) && marked(item)) handled.push(id);
          } catch (err) {
            outage ??= err;
            return;
          }
        }
        item.done = true;
        await beat();
      }
    };
    const queues = [...byKey.values()];
    const workers = Array.from(
      { length: Math.min(opts.keysAtOnce ?? 4, queues.length) },
      async () => {
        for (let q = queues.shift(); q; q = queues.shift()) {
          await runKey(q);
          await beat();
        }
      },
    );
    await Promise.all(workers);

    // the markers first: an offset is committed only past events whose markers are written
    await opts.processed.addAll(opts.groupId, handled);
    const firstUndone = items.findIndex((i) => !i.done);
    const last = firstUndone === -1 ? items.length - 1 : firstUndone - 1;
    if (last >= 0) {
      resolveOffset(items[last]!.message.offset);
      await commits.resolved(topic, batch.partition, items[last]!.message.offset);
    }
    if (rejoin !== undefined) {
      await commits.commitNow();
      throw rejoin;
    }
    await heartbeat();
    if (outage !== undefined) throw outage;
    if (opts.batchWindowMs !== undefined && items.length < LINGER_BELOW && isRunning())
      await linger(opts.batchWindowMs);
  };
}
