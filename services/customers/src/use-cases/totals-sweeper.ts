import type { Logger } from '@ledgerline/platform';

/** What the sweeper is told to refresh. */
export interface TotalsMarks {
  /** A customer's totals are stale (its mark is stored already): refresh them soon. */
  stale(tenantId: string, customerId: string): void;
}

export interface SweeperOptions {
  /** Recomputes one customer's totals; answers whether they are still stale (marked meanwhile). */
  refresh: (tenantId: string, customerId: string) => Promise<boolean>;
  /** Customers whose stored mark says stale (left by a process that stopped before its sweep). */
  findStale: () => Promise<{ tenantId: string; customerId: string }[]>;
  logger?: Logger;
  /** Least time between two refreshes of one customer. */
  minGapMs?: number;
  /** A refresh that took d waits this many times d before the next of the same customer. */
  costFactor?: number;
}

/**
 * Refreshes customers' totals in the background, one customer at a time, each at most every
 * max(minGapMs, costFactor × its last refresh time): a refresh sums all the customer's invoice
 * snapshots (FerretDB scans for it), so while a billing run makes thousands of invoices for a few
 * customers it runs a bounded number of times per second instead of once per event. What is stale
 * is stored on the customer before an event counts as handled, so a crash loses nothing: the next
 * start finds the stale ones (findStale).
 */
export function totalsSweeper(opts: SweeperOptions) {
  const minGapMs = opts.minGapMs ?? 250;
  const costFactor = opts.costFactor ?? 3;
  /** Stale customers and the earliest time each may be refreshed. */
  const due = new Map<string, { tenantId: string; customerId: string; notBefore: number }>();
  /** When each customer may be refreshed next (kept a minute, for the pacing only). */
  const nextAllowed = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  function schedule(): void {
    if (stopped || running || timer || due.size === 0) return;
    const wait = Math.max(0, Math.min(...[...due.values()].map((d) => d.notBefore)) - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      running = sweep().finally(() => {
        running = undefined;
        schedule();
      });
    }, wait);
  }

  async function sweep(): Promise<void> {
    const now = Date.now();
    for (const [key, at] of nextAllowed) if (at < now - 60_000) nextAllowed.delete(key);
    for (const [key, item] of [...due]) {
      if (stopped) return;
      if (item.notBefore > Date.now()) continue;
      due.delete(key);
      const started = Date.now();
      let again = false;
      let retryAt = 0;
      try {
        again = await opts.refresh(item.tenantId, item.customerId);
      } catch (err) {
        // the mark stays stored: try again a little later (an outage, a busy lock)
        opts.logger?.warn({ err, customer_id: item.customerId }, 'customer totals refresh failed');
        again = true;
        retryAt = Date.now() + 1000;
      }
      const gap = Math.max(minGapMs, costFactor * (Date.now() - started));
      nextAllowed.set(key, Date.now() + gap);
      if (again && !due.has(key))
        due.set(key, { ...item, notBefore: Math.max(Date.now() + gap, retryAt) });
    }
  }

  const marks: TotalsMarks = {
    stale(tenantId, customerId) {
      const key = `${tenantId}\u0000${customerId}`;
      if (!due.has(key))
        due.set(key, { tenantId, customerId, notBefore: nextAllowed.get(key) ?? 0 });
      schedule();
    },
  };

  async function recover(): Promise<void> {
    try {
      for (const { tenantId, customerId } of await opts.findStale())
        marks.stale(tenantId, customerId);
    } catch (err) {
      opts.logger?.warn({ err }, 'stale customer totals not read; trying again');
      if (!stopped) setTimeout(() => void recover(), 5000).unref();
    }
  }

  return {
    ...marks,
    /** Picks up the customers left stale by an earlier process. */
    start(): void {
      void recover();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    /** For tests: how many customers wait for a refresh. */
    pending: () => due.size,
  };
}

export type TotalsSweeper = ReturnType<typeof totalsSweeper>;
