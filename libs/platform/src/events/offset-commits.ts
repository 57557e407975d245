import type { Consumer } from 'kafkajs';
import type { Logger } from '../logger';

/**
 * Commits a consumer's offsets on a timer instead of after every batch. kafkajs's autoCommit sends
 * an OffsetCommit after each batch it hands over; at the rates we run, a batch is one or two
 * events, so every event cost each consumer group a commit request (and the broker a write to
 * `__consumer_offsets`). Here the offsets the batch handler resolved (only past applied events)
 * are committed at most once per interval, and once more when the consumer stops.
 *
 * What it changes: after a crash, up to an interval's worth of events is delivered again (a
 * rebalance commits first, as kafkajs did). Every consumer is idempotent
 * (processed-event markers, or effects keyed by the fact), so that costs time, never correctness;
 * an event is still never committed before it is applied.
 */
export interface OffsetCommits {
  /** The batch handler resolved `offset` (the last applied event) of a partition. */
  resolved(topic: string, partition: number, offset: string): void;
  /** Commits what is resolved and stops the timer (before the consumer disconnects). */
  stop(): Promise<void>;
}

export function timedOffsetCommits(
  consumer: Consumer,
  intervalMs: number,
  log: Pick<Logger, 'debug'>,
): OffsetCommits {
  const latest = new Map<string, { topic: string; partition: number; offset: string }>();
  let flushing: Promise<void> | undefined;
  const flush = async () => {
    if (latest.size === 0) return;
    // a committed offset names the next event to read
    const offsets = [...latest.values()].map((o) => ({
      topic: o.topic,
      partition: o.partition,
      offset: (BigInt(o.offset) + 1n).toString(),
    }));
    latest.clear();
    try {
      await consumer.commitOffsets(offsets);
    } catch (err) {
      // a rebalance (or a consumer not running): the partition's next owner starts from the last
      // commit and handles those events again
      log.debug({ err }, 'offsets not committed; their events will be delivered again');
    }
  };
  const tick = () => {
    flushing ??= flush().finally(() => {
      flushing = undefined;
    });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // a rebalance starting: commit now, while this member's generation still may (kafkajs's own
  // autoCommit did the same), so the partitions' next owners do not handle those events again
  consumer.on(consumer.events.REBALANCING, tick);
  // offsets resolved before a rebalance may belong to partitions now owned by another member:
  // committing them later could move that member's committed offset back
  consumer.on(consumer.events.GROUP_JOIN, () => latest.clear());
  return {
    resolved(topic, partition, offset) {
      latest.set(`${topic}\u0000${partition}`, { topic, partition, offset });
    },
    async stop() {
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}
