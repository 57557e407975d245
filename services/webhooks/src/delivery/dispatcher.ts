import type { AggregateLocks, Logger } from '@ledgerline/platform';
import type { QueueEntry, QueueStore } from '../store/queue';

export interface DispatcherOptions {
  queue: QueueStore;
  locks: AggregateLocks;
  logger: Logger;
  /** One attempt of a queued delivery (attemptDelivery). */
  attempt(entry: QueueEntry): Promise<void>;
  perEndpoint: number;
  global: number;
  pollMs: number;
}

/**
 * Sends due deliveries with two caps: at most `perEndpoint` attempts in flight to one endpoint
 * and `global` in all. An endpoint at its cap is left out of the next query (not waited on), so
 * a slow receiver holds its own slots only and every other endpoint's deliveries keep flowing.
 *
 * Every attempt holds a short Redis lock on its delivery (taken without waiting: a busy one is
 * another replica's and skipped), so two replicas do not send one attempt twice; the lock's
 * expiry frees a delivery whose process died mid-attempt.
 */
/** Entries one query reads; and how long its answer is used before the queue is read again. */
const BATCH = 1000;
const REFILL_MS = 2000;

export function dispatcher(opts: DispatcherOptions) {
  const inFlight = new Set<string>();
  /** Due entries read by the last query (or just enqueued here), soonest first. */
  const buffer = new Map<string, QueueEntry>();
  let filledAt = 0;
  const perEndpoint = new Map<string, number>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  function start(entry: QueueEntry): void {
    inFlight.add(entry._id);
    perEndpoint.set(entry.endpoint_id, (perEndpoint.get(entry.endpoint_id) ?? 0) + 1);
    void opts.locks
      .withFreeLocks([`webhooks:attempt:${entry._id}`], async (held) => {
        if (held.size > 0) await opts.attempt(entry);
      })
      .catch((err: unknown) =>
        // the entry stays due: the next pass tries again
        opts.logger.warn({ err, deliveryId: entry._id }, 'webhook attempt failed to run'),
      )
      .finally(() => {
        inFlight.delete(entry._id);
        const left = (perEndpoint.get(entry.endpoint_id) ?? 1) - 1;
        if (left > 0) perEndpoint.set(entry.endpoint_id, left);
        else perEndpoint.delete(entry.endpoint_id);
        wake();
      });
  }

  /** Starts the buffered entries the caps allow; answers how many started. */
  function startBuffered(): number {
    let started = 0;
    for (const [id, entry] of buffer) {
      if (inFlight.size >= opts.global) break;
      if (inFlight.has(id)) {
        buffer.delete(id);
        continue;
      }
      if ((perEndpoint.get(entry.endpoint_id) ?? 0) >= opts.perEndpoint) continue;
      buffer.delete(id);
      start(entry);
      started++;
    }
    return started;
  }

  /**
   * One pass: starts what the buffer holds within the caps, and when that starts nothing (or the
   * buffer is old) reads the due entries again, leaving out endpoints at their cap. The query
   * scans the queue (FerretDB), so it is made when the buffer runs dry, not once per attempt.
   */
  async function pass(): Promise<number> {
    if (opts.global - inFlight.size <= 0) return 0;
    let started = startBuffered();
    if (started > 0 && Date.now() - filledAt < REFILL_MS) return started;
    const full = [...perEndpoint].filter(([, n]) => n >= opts.perEndpoint).map(([id]) => id);
    const due = await opts.queue.due(new Date(), BATCH, full, [...inFlight]);
    filledAt = Date.now();
    buffer.clear();
    for (const entry of due) if (!inFlight.has(entry._id)) buffer.set(entry._id, entry);
    started += startBuffered();
    return started;
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      let started = 0;
      try {
        started = await pass();
      } catch (err) {
        opts.logger.warn({ err }, 'webhook dispatch pass failed');
      }
      if (started === 0) await pause(opts.pollMs);
    }
  }

  return {
    /** Due deliveries were added or a slot was freed: look now rather than at the next poll. */
    wake,
    /** Entries just queued in this process and due now: sent without waiting for a query. */
    offer(entries: readonly QueueEntry[]): void {
      for (const entry of entries) {
        if (buffer.size >= BATCH * 5) break; // the rest are found by the next query
        buffer.set(entry._id, entry);
      }
      wake();
    },
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Stops taking deliveries and waits for the attempts in flight (bounded by their timeout). */
    async stop(): Promise<void> {
      running = false;
      wake();
      await loop;
      while (inFlight.size > 0) await new Promise((r) => setTimeout(r, 50));
    },
    inFlight: () => inFlight.size,
  };
}

export type Dispatcher = ReturnType<typeof dispatcher>;
