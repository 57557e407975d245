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
  /** The last read held every entry due then (fewer than BATCH). */
  let complete = false;
  let refilling: Promise<void> | undefined;
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
   * Reads the due entries into the buffer, in the background: the loop keeps starting what the
   * buffer holds while the query (a scan on FerretDB) runs. Endpoints at their cap are left out,
   * so a slow endpoint's backlog cannot fill the buffer and hide the others' deliveries.
   */
  function refill(): void {
    if (refilling) return;
    const full = [...perEndpoint].filter(([, n]) => n >= opts.perEndpoint).map(([id]) => id);
    refilling = opts.queue
      .due(new Date(), BATCH, full, [...inFlight])
      .then((due) => {
        complete = due.length < BATCH;
        for (const entry of due) {
          if (buffer.size >= BATCH * 5) break;
          if (!inFlight.has(entry._id)) buffer.set(entry._id, entry);
        }
      })
      .catch((err: unknown) => opts.logger.warn({ err }, 'webhook queue read failed'))
      .finally(() => {
        filledAt = Date.now();
        refilling = undefined;
        wake();
      });
  }

  /**
   * One pass: starts what the buffer holds within the caps. The queue is read again when the
   * last read is older than REFILL_MS (retries coming due, another process's deliveries), or when
   * nothing could start and the last read may have left due entries out (it was full).
   */
  function pass(): number {
    const started = startBuffered();
    const stale = Date.now() - filledAt >= REFILL_MS;
    if (
      stale ||
      (started === 0 && (!complete || buffer.size === 0) && Date.now() - filledAt >= opts.pollMs)
    )
      refill();
    return started;
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      if (pass() === 0) await pause(opts.pollMs);
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
      await refilling;
      while (inFlight.size > 0) await new Promise((r) => setTimeout(r, 50));
    },
    inFlight: () => inFlight.size,
  };
}

export type Dispatcher = ReturnType<typeof dispatcher>;
