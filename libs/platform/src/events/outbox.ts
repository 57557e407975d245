import { Schema, type Model, type SchemaDefinitionProperty } from 'mongoose';
import type { Producer } from 'kafkajs';
import type { EventEnvelope } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { publishEvents } from './kafka';
import type { AggregateLocks } from '../locks';

/**
 * Transactional outbox held in the written document itself: the write and its events land in one
 * single-document write, and a relay publishes them until Kafka acknowledges. Writers of an
 * existing document hold its aggregate lock (see locks.ts), and so does the relay when it removes
 * published events. Publishing is at-least-once; consumers deduplicate by event id.
 */
export interface OutboxFields {
  _outbox: EventEnvelope[];
  _outbox_pending: boolean;
}

export const outboxSchemaFields = {
  // stored as plain sub-documents; mongoose's typings cannot express "array of Mixed as T[]"
  _outbox: { type: [Schema.Types.Mixed], default: [] } as unknown as SchemaDefinitionProperty<
    EventEnvelope[]
  >,
  _outbox_pending: { type: Boolean, default: false, index: true },
};

/** Fields for a new document that is born with events. */
export function outboxOnInsert(events: EventEnvelope[]): OutboxFields {
  return { _outbox: events, _outbox_pending: events.length > 0 };
}

/** Update operators appending events to an existing document's outbox. */
export function outboxOnUpdate(events: EventEnvelope[]): {
  $push: { _outbox: { $each: EventEnvelope[] } };
  $set: { _outbox_pending: true };
} {
  return { $push: { _outbox: { $each: events } }, $set: { _outbox_pending: true } };
}

export interface OutboxRelayOptions {
  producer: Producer;
  /** Models whose documents carry an outbox, with the lock key of one document's aggregate. */
  sources: { model: Model<any>; lockKey: (id: string) => string }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  locks: AggregateLocks;
  topicPrefix: string;
  logger: Logger;
  /** How often the hinted documents are published (1 s). */
  intervalMs?: number;
  /** How often the safety-net scan for pending documents runs (30 intervals). */
  scanIntervalMs?: number;
  batchSize?: number;
}

/**
 * Wakes the relay after a write. With the ids of the documents just written, only those are read
 * (by `_id`, which FerretDB answers without a scan); without, the relay scans for pending
 * documents. A full scan also runs at start, after a failed send and every `scanIntervalMs`, so
 * a lost hint (a crash, a write by another process) delays an event but never loses it. The scan
 * reads the whole collection on FerretDB's SQLite backend (no index serves `_outbox_pending`),
 * so it runs seldom and beside the hinted publishes: its cost grows with the collection.
 */
export type PublishSoon = (ids?: readonly string[]) => void;

export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private scanning?: Promise<void>;
  private again = false;
  private stopped = true;
  private failures = 0;
  private readonly hinted = new Set<string>();
  /** Documents whose events are being published now (by the scan or a hint), by source and id. */
  private readonly publishing = new Set<string>();
  private scanRequested = true;
  private lastScanAt = 0;
  private readonly log: Logger;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.log = opts.logger.child({ component: 'outbox' });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.scanning;
  }

  /** Called right after a write so its events go out without waiting for the next tick. */
  kick(ids?: readonly string[]): void {
    if (this.stopped) return;
    if (ids) for (const id of ids) this.hinted.add(id);
    else this.scanRequested = true;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Publishes everything pending now; resolves when the outbox is empty or a send failed. */
  async drain(): Promise<number> {
    let total = 0;
    for (const source of this.opts.sources) {
      const { model } = source;
      for (;;) {
        const docs = await model
          .find({ _outbox_pending: true }, { _outbox: 1 })
          .sort({ updated_at: 1 })
          .limit(this.opts.batchSize ?? 100)
          .lean<{ _id: unknown; _outbox: EventEnvelope[] }[]>();
        if (docs.length === 0) break;
        total += await this.publishDocs(source, docs);
        if (docs.length < (this.opts.batchSize ?? 100)) break;
      }
    }
    return total;
  }

  /**
   * Publishes what the named documents hold, reading only them: an id is looked for in the next
   * source only when the ones before do not hold it (pending or not).
   */
  async drainIds(ids: readonly string[]): Promise<number> {
    let total = 0;
    let left = [...ids];
    for (const source of this.opts.sources) {
      if (left.length === 0) break;
      const found = await Promise.all(
        left.map((id) =>
          source.model
            .findById(id, { _outbox: 1, _outbox_pending: 1 })
            .lean<{ _id: unknown; _outbox: EventEnvelope[]; _outbox_pending?: boolean }>(),
        ),
      );
      const docs = found.filter((doc) => doc !== null);
      left = left.filter((_, i) => found[i] === null);
      const pending = docs.filter((doc) => doc._outbox_pending === true);
      // one being published by the scan may have been read before this write's events: again later
      const busy = pending.filter((doc) => this.publishing.has(this.keyOf(source, doc._id)));
      for (const doc of busy) this.hinted.add(String(doc._id));
      if (pending.length > 0) total += await this.publishDocs(source, pending);
    }
    return total;
  }

  /**
   * Publishes the documents' events in one send without holding their locks (a duplicate publish
   * is harmless; one document's events keep their order), then removes exactly the published
   * events from each under its aggregate's lock, so an event appended meanwhile is never dropped.
   * The documents are cleared concurrently: each is its own aggregate with its own lock.
   */
  private async publishDocs(
    source: OutboxRelayOptions['sources'][number],
    all: { _id: unknown; _outbox: EventEnvelope[] }[],
  ): Promise<number> {
    // the scan and a hint may read one document at once: only one of them publishes it
    const docs = all.filter((doc) => !this.publishing.has(this.keyOf(source, doc._id)));
    const keys = docs.map((doc) => this.keyOf(source, doc._id));
    for (const key of keys) this.publishing.add(key);
    try {
      const events = docs.flatMap((doc) => doc._outbox ?? []);
      if (events.length > 0) await publishEvents(this.opts.producer, events, this.opts.topicPrefix);
      await Promise.all(docs.map((doc) => this.removePublished(source, doc)));
      return events.length;
    } finally {
      for (const key of keys) this.publishing.delete(key);
    }
  }

  private keyOf(source: OutboxRelayOptions['sources'][number], id: unknown): string {
    return `${this.opts.sources.indexOf(source)}:${String(id)}`;
  }

  private async removePublished(
    source: OutboxRelayOptions['sources'][number],
    doc: { _id: unknown; _outbox: EventEnvelope[] },
  ): Promise<void> {
    const outbox = doc._outbox ?? [];
    await this.opts.locks.withLock(source.lockKey(String(doc._id)), async () => {
      // Nothing appended since the read (the common case): clear it in one write. Writers append
      // and relays remove what they read, so the outbox is always a run of consecutive events;
      // one as long as the published run and ending with its last event is that run.
      if (outbox.length > 0) {
        const last = outbox.length - 1;
        const cleared = await source.model.updateOne(
          {
            _id: doc._id,
            _outbox: { $size: outbox.length },
            [`_outbox.${last}.id`]: outbox[last]!.id,
          },
          { $set: { _outbox: [], _outbox_pending: false } },
        );
        if (cleared.matchedCount === 1) return;
      }
      const published = new Set(outbox.map((e) => e.id));
      const current = await source.model
        .findById(doc._id, { _outbox: 1 })
        .lean<{ _outbox: EventEnvelope[] }>();
      const remaining = (current?._outbox ?? []).filter((e) => !published.has(e.id));
      await source.model.updateOne(
        { _id: doc._id },
        { $set: { _outbox: remaining, _outbox_pending: remaining.length > 0 } },
      );
    });
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delay);
  }

  /**
   * Publishes the hinted documents; the scan for pending ones, when due or asked for, runs beside
   * it rather than before it, so a slow scan (a large collection) never holds up the events a
   * write just announced. One scan at a time; asked for while one runs, another follows it.
   */
  private async tick(): Promise<void> {
    const base = this.opts.intervalMs ?? 1000;
    const ids = [...this.hinted];
    this.hinted.clear();
    const scanEvery = this.opts.scanIntervalMs ?? base * 30;
    if (!this.scanning && (this.scanRequested || Date.now() - this.lastScanAt >= scanEvery)) {
      this.scanRequested = false;
      this.lastScanAt = Date.now();
      this.scanning = this.drain()
        .then((sent) => this.succeeded(sent))
        .catch((err: unknown) => this.failed(err))
        .finally(() => {
          this.scanning = undefined;
        });
    }
    try {
      if (ids.length > 0) this.succeeded(await this.drainIds(ids));
    } catch (err) {
      this.failed(err);
    }
    const backoff = Math.min(base * 2 ** Math.max(0, this.failures - 1), 5000);
    if (this.again) {
      this.again = false;
      this.schedule(0);
    } else {
      this.schedule(this.failures > 0 ? backoff : base);
    }
  }

  private succeeded(sent: number): void {
    if (this.failures > 0) this.log.info({ sent }, 'outbox relay recovered');
    this.failures = 0;
  }

  private failed(err: unknown): void {
    // whatever was not sent is still pending in its document: the next tick scans for it
    this.scanRequested = true;
    this.failures += 1;
    this.log.warn(
      { err, failures: this.failures },
      'outbox relay could not publish yet; will retry',
    );
  }
}
