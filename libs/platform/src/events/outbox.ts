import type { Model } from 'mongoose';
import type { Producer } from 'kafkajs';
import type { EventEnvelope } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { publishEvents } from './kafka';
import type { AggregateLocks } from '../locks';
import type { StoreWrites } from '../aggregate';

export * from './outbox-fields';

export interface OutboxRelayOptions {
  producer: Producer;
  /** Models whose documents carry an outbox, with the lock key of one document's aggregate. */
  sources: { model: Model<any>; lockKey: (id: string) => string }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  locks: AggregateLocks;
  topicPrefix: string;
  logger: Logger;
  /** How often the hinted documents are published (1 s). */
  intervalMs?: number;
  /**
   * How often the safety-net scan for pending documents runs: 30 intervals where the store answers
   * it from the `_outbox_pending` index (MongoDB, `atomic`), LOCKED_STORE_SCAN_MS where it reads the
   * whole collection (FerretDB's SQLite backend, `locked`: 8 s of its CPU per 100,000 invoices).
   */
  scanIntervalMs?: number;
  batchSize?: number;
  /**
   * `atomic` (MongoDB): a conditional update is atomic, so published events are cleared without
   * the aggregates' locks (writers do not take them either). `locked` (FerretDB, the default):
   * clears run under the locks, as the writers' changes do.
   */
  writes?: StoreWrites | Promise<StoreWrites>;
}

/** Outboxes documents were just inserted with (by id), in one source's collection. */
export interface BornOutboxes {
  collection: string;
  outboxes: ReadonlyMap<string, EventEnvelope[]>;
}

type Source = OutboxRelayOptions['sources'][number];

/**
 * The safety-net scan's period on a store that answers it by reading every document (FerretDB):
 * it only finds what no hint announced (a writer that died between its write and its hint, whose
 * own restart scans at once), so a rare scan delays such an event by minutes, never loses it.
 */
export const LOCKED_STORE_SCAN_MS = 10 * 60_000;
type OutboxDoc = { _id: unknown; _outbox: EventEnvelope[] };

/**
 * Wakes the relay after a write. With the ids of the documents just written, only those are read
 * (by `_id`, which FerretDB answers without a scan); without, the relay scans for pending
 * documents. A full scan also runs at start and every `scanIntervalMs`, so a lost hint (a crash
 * between a write and its hint; the restarted process scans at once) delays an event but never
 * loses it; a failed send tries its ids again. The scan reads the whole collection on FerretDB's
 * SQLite backend (no index serves `_outbox_pending`), so there it runs every
 * LOCKED_STORE_SCAN_MS, beside the hinted publishes: its cost grows with the collection.
 * A writer that has just written documents may also hand over their outboxes (`born`): those are
 * published without reading the documents back; clearing them is conditional as always, so an
 * event appended meanwhile is still found and kept, and a later hint of the same id without an
 * outbox drops the handed-over one (the relay then reads the document).
 */
export type PublishSoon = (ids?: readonly string[], born?: BornOutboxes) => void;

export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private scanning?: Promise<void>;
  private again = false;
  private stopped = true;
  private failures = 0;
  private readonly hinted = new Set<string>();
  /** Outboxes handed over with hints, by `keyOf(source, id)`: published without a read. */
  private readonly born = new Map<string, EventEnvelope[]>();
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
  kick(ids?: readonly string[], born?: BornOutboxes): void {
    if (this.stopped) return;
    const source =
      born && this.opts.sources.find((s) => s.model.collection.name === born.collection);
    if (source)
      for (const [id, events] of born!.outboxes) this.born.set(this.keyOf(source, id), events);
    for (const id of ids ?? []) {
      this.hinted.add(id);
      // a later write of a document whose handed-over outbox is not published yet: read it
      if (!born?.outboxes.has(id))
        for (const s of this.opts.sources) this.born.delete(this.keyOf(s, id));
    }
    if (!ids) this.scanRequested = true;
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
        try {
          total += await this.publishDocs(source, docs);
        } catch (err) {
          for (const doc of docs) this.hinted.add(String(doc._id));
          throw err;
        }
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
      const known: OutboxDoc[] = [];
      const unknown: string[] = [];
      for (const id of left) {
        const events = this.born.get(this.keyOf(source, id));
        this.born.delete(this.keyOf(source, id));
        if (events) known.push({ _id: id, _outbox: events });
        else unknown.push(id);
      }
      const found = await Promise.all(
        unknown.map((id) =>
          source.model
            .findById(id, { _outbox: 1, _outbox_pending: 1 })
            .lean<OutboxDoc & { _outbox_pending?: boolean }>(),
        ),
      );
      left = unknown.filter((_, i) => found[i] === null);
      const pending = [
        ...known,
        ...found.filter((doc) => doc !== null && doc._outbox_pending === true),
      ] as OutboxDoc[];
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
   * events from each, so an event appended meanwhile is never dropped.
   */
  private async publishDocs(source: Source, all: OutboxDoc[]): Promise<number> {
    // the scan and a hint may read one document at once: only one of them publishes it
    const docs = all.filter((doc) => !this.publishing.has(this.keyOf(source, doc._id)));
    const keys = docs.map((doc) => this.keyOf(source, doc._id));
    for (const key of keys) this.publishing.add(key);
    try {
      const events = docs.flatMap((doc) => doc._outbox ?? []);
      if (events.length > 0) await publishEvents(this.opts.producer, events, this.opts.topicPrefix);
      await this.clearPublished(source, docs);
      return events.length;
    } finally {
      for (const key of keys) this.publishing.delete(key);
    }
  }

  private keyOf(source: Source, id: unknown): string {
    return `${this.opts.sources.indexOf(source)}:${String(id)}`;
  }

  /**
   * Clears the published documents (through the driver, so a document's `updated_at` says when
   * it changed, not when its events left): each document's outbox is emptied only if nothing was
   * appended since it was read. Writers append and relays remove what they read, so the outbox is
   * always a run of consecutive events; one as long as the published run and ending with its last
   * event is that run. A document that changed meanwhile is read again and only its published
   * events are removed.
   * MongoDB (`atomic`): one bulk command, no locks. FerretDB: the documents whose locks are free
   * are taken together (one script) and cleared one command each (FerretDB 1.24's SQLite backend
   * hung on update commands of a few dozen statements); one whose lock is busy (a writer is
   * changing it) waits for its lock alone.
   */
  private async clearPublished(source: Source, docs: OutboxDoc[]): Promise<void> {
    if (docs.length === 0) return;
    if ((await this.opts.writes) === 'atomic') {
      if (!(await this.clearUnchangedAtOnce(source, docs)))
        await Promise.all(docs.map((doc) => this.removePublishedFrom(source, doc)));
      return;
    }
    const lockKey = (doc: OutboxDoc) => source.lockKey(String(doc._id));
    const clearOne = async (doc: OutboxDoc) => {
      if (!(await this.clearUnchanged(source, doc))) await this.removePublishedFrom(source, doc);
    };
    const waiting = await this.opts.locks.withFreeLocks(docs.map(lockKey), async (held) => {
      await Promise.all(docs.filter((doc) => held.has(lockKey(doc))).map(clearOne));
      return docs.filter((doc) => !held.has(lockKey(doc)));
    });
    await Promise.all(
      waiting.map((doc) => this.opts.locks.withLock(lockKey(doc), () => clearOne(doc))),
    );
  }

  /** A filter matching the document only while its outbox is still `outbox` (length, last event). */
  private unchanged(_id: unknown, outbox: EventEnvelope[]) {
    return {
      _id: _id as never,
      _outbox: { $size: outbox.length },
      ...(outbox.length > 0 && {
        [`_outbox.${outbox.length - 1}.id`]: outbox[outbox.length - 1]!.id,
      }),
    };
  }

  /** The update that empties a document's outbox if it still holds just the published run. */
  private clearing({ _id, _outbox: outbox }: OutboxDoc) {
    return {
      filter: this.unchanged(_id, outbox),
      update: { $set: { _outbox: [], _outbox_pending: false } },
    };
  }

  private async clearUnchanged(source: Source, doc: OutboxDoc): Promise<boolean> {
    if ((doc._outbox ?? []).length === 0) return false;
    const { filter, update } = this.clearing(doc);
    return (await source.model.collection.updateOne(filter, update)).matchedCount === 1;
  }

  /** One command for all (MongoDB); true if every document was cleared. */
  private async clearUnchangedAtOnce(source: Source, docs: OutboxDoc[]): Promise<boolean> {
    if (docs.some((doc) => (doc._outbox ?? []).length === 0)) return false;
    const ops = docs.map((doc) => ({ updateOne: this.clearing(doc) }));
    const result = await source.model.collection.bulkWrite(ops, { ordered: false });
    return result.matchedCount === ops.length;
  }

  /**
   * A document that changed since it was read: reads what it holds now and writes the unpublished
   * rest only if the outbox is still what was read, else reads again. Under the document's lock
   * (FerretDB) the first write matches; without one (MongoDB) a concurrent append is retried.
   */
  private async removePublishedFrom(source: Source, doc: OutboxDoc): Promise<void> {
    const published = new Set((doc._outbox ?? []).map((e) => e.id));
    for (;;) {
      const current = await source.model
        .findById(doc._id, { _outbox: 1 })
        .lean<{ _outbox: EventEnvelope[] }>();
      if (!current) return;
      const outbox = current._outbox ?? [];
      const remaining = outbox.filter((e) => !published.has(e.id));
      const written = await source.model.collection.updateOne(this.unchanged(doc._id, outbox), {
        $set: { _outbox: remaining, _outbox_pending: remaining.length > 0 },
      });
      if (written.matchedCount === 1) return;
    }
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
    const scanEvery =
      this.opts.scanIntervalMs ??
      ((await this.opts.writes) === 'locked' ? LOCKED_STORE_SCAN_MS : base * 30);
    if (!this.scanning && (this.scanRequested || Date.now() - this.lastScanAt >= scanEvery)) {
      this.scanRequested = false;
      this.lastScanAt = Date.now();
      this.scanning = this.drain()
        .then((sent) => this.succeeded(sent))
        // the documents it had read are tried by id (drain); a whole new scan waits for its turn
        .catch((err: unknown) => this.failed(err))
        .finally(() => {
          this.scanning = undefined;
        });
    }
    try {
      if (ids.length > 0) this.succeeded(await this.drainIds(ids));
    } catch (err) {
      // tried again by id (what was sent meanwhile is found cleared), not by a scan
      for (const id of ids) this.hinted.add(id);
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
    // whatever was not sent is still pending in its document, and its id is hinted again (a
    // scan's read ones too, see drain): retried with backoff, without reading a whole collection
    this.failures += 1;
    this.log.warn(
      { err, failures: this.failures },
      'outbox relay could not publish yet; will retry',
    );
  }
}
