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
export function dispatcher(opts: DispatcherOptions) {
  const inFlight = new Set<string>();
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

  /** One pass: starts what is due within the caps; answers how many started. */
  async function pass(): Promise<number> {
    const free = opts.global - inFlight.size;
    if (free <= 0) return 0;
    const full = [...perEndpoint].filter(([, n]) => n >= opts.perEndpoint).map(([id]) => id);
    const due = await opts.queue.due(new Date(), Math.max(free * 2, 32), full, [...inFlight]);
    let started = 0;
    for (const entry of due) {
      if (inFlight.size >= opts.global) break;
      if (inFlight.has(entry._id)) continue;
      if ((perEndpoint.get(entry.endpoint_id) ?? 0) >= opts.perEndpoint) continue;
      start(entry);
      started++;
    }
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
