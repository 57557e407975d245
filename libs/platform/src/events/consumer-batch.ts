import { setTimeout as sleep } from 'node:timers/promises';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { deadLetterTopic, parseEvent, type EventEnvelope } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { isUnavailableError } from '../dependency-errors';
import type { ConsumerOptions, EventHandler } from './consumer';
import { keepsOwnMarker, manyOf, runOf, type ManyHandler, type RunHandler } from './handler-kinds';
import type { OffsetCommits } from './offset-commits';

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
 *   consecutive events of one key whose handler takes runs (`inRuns`) go in one call;
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
    const stopped = () => outage !== undefined || rejoin !== undefined || !isRunning() || isStale();
    /** A run of one key's events in one call; false when it failed and they go one by one. */
    const applyRun = async (run: RunHandler, items: Item[], inBatch: Set<string>) => {
      const events = [...new Map(items.map((i) => [i.event!.id, i.event!])).values()].filter(
        (e) => !inBatch.has(e.id),
      );
      try {
        await run(events);
      } catch (err) {
        if (isUnavailableError(err)) outage ??= err;
        else log.warn({ err, events: events.length }, 'run handler failed; handling one by one');
        return false;
      }
      for (const item of items) {
        inBatch.add(item.event!.id);
        item.done = true;
      }
      return true;
    };
    const runKey = async (queue: Item[]) => {
      const inBatch = new Set<string>();
      let oneByOneUntil = 0;
      for (let i = 0; i < queue.length; i++) {
        if (stopped()) return;
        const run = i >= oneByOneUntil ? runOf(queue[i]!.handler) : undefined;
        if (run) {
          let end = i + 1;
          while (end < queue.length && runOf(queue[end]!.handler) === run) end++;
          if (end - i > 1) {
            if (await applyRun(run, queue.slice(i, end), inBatch)) {
              i = end - 1;
              await beat();
              continue;
            }
            if (stopped()) return;
            oneByOneUntil = end;
          }
        }
        const item = queue[i]!;
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
