import type { Consumer } from 'kafkajs';
import type { Logger } from '../logger';

/**
 * Commits a consumer's offsets at most once per interval instead of after every batch. kafkajs's
 * autoCommit sends an OffsetCommit after each batch it hands over; at the rates we run, a batch
 * is one or two events, so every event cost each consumer group a commit request (and the broker
 * a write to `__consumer_offsets`). Here a batch's resolved offset (only past applied events) is
 * committed when it ends if the last commit is an interval old, else by a timer within the
 * interval, and when the consumer stops. A slow batch (a billing run's chunk) still commits as it
 * ends, before kafkajs lets a rebalance hand its partition to another member.
 *
 * What it changes: after a crash, up to an interval's worth of events is delivered again. Every
 * consumer is idempotent (processed-event markers, or effects keyed by the fact), so that costs
 * time, never correctness; an event is still never committed before it is applied.
 */
export interface OffsetCommits {
  /** A batch resolved `offset` (its last applied event) of a partition; commits if one is due. */
  resolved(topic: string, partition: number, offset: string): Promise<void>;
  /** Commits what is resolved now (a rebalance is starting and this member is leaving). */
  commitNow(): Promise<void>;
  /** Commits what is resolved and stops the timer (before the consumer disconnects). */
  stop(): Promise<void>;
}

export function timedOffsetCommits(
  consumer: Consumer,
  intervalMs: number,
  log: Pick<Logger, 'debug'>,
): OffsetCommits {
  const latest = new Map<string, { topic: string; partition: number; offset: string }>();
  let lastCommitAt = Date.now();
  let flushing: Promise<void> | undefined;
  const commit = async () => {
    lastCommitAt = Date.now();
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
  const flush = () =>
    (flushing ??= commit().finally(() => {
      flushing = undefined;
    }));
  const timer = setInterval(() => {
    if (Date.now() - lastCommitAt >= intervalMs) void flush();
  }, intervalMs);
  timer.unref();
  // a rebalance starting: commit now, while this member's generation still may (kafkajs's own
  // autoCommit did the same)
  consumer.on(consumer.events.REBALANCING, () => void flush());
  // offsets of partitions this member no longer holds are dropped: committing them later could
  // move their new owner's committed offset back
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const held = payload.memberAssignment as Record<string, number[]>;
    for (const [key, o] of latest) {
      if (!held[o.topic]?.includes(o.partition)) latest.delete(key);
    }
  });
  const commitNow = async () => {
    await flushing; // one under way may have left before the latest offsets
    await flush();
  };
  return {
    commitNow,
    async resolved(topic, partition, offset) {
      latest.set(`${topic}\u0000${partition}`, { topic, partition, offset });
      if (Date.now() - lastCommitAt >= intervalMs) await flush();
    },
    async stop() {
      clearInterval(timer);
      await commitNow();
    },
  };
}
