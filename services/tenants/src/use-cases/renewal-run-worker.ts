import { AppError } from '@ledgerline/contracts';
import { ignoreNotFound, newId, type Logger } from '@ledgerline/platform';
import {
  addPage,
  finishedStatus,
  UNFINISHED_STATUSES,
  type SubscriptionOutcome,
} from '../domain/renewal-runs';
import type { RenewalRun } from '../store/renewal-runs';
import type { TenantsDeps } from './deps';
import { BOUNDARIES_PER_CALL, renewProviderSubscription } from './provider-renewals';

/**
 * Works providers' renewal runs in the tenants process, in the background (issue 18). The run's
 * document is its only state: the worker leases it, reads the provider's live subscriptions in
 * pages by `_id` after the run's cursor, renews each due one with `renewProviderSubscription` (the
 * sweep's own exactly-once write), then saves the page's counters and the new cursor in one change
 * of the run (the aggregate primitive). A process that dies leaves the run `running` with a lease
 * that runs out; the next process to look (on start, then every tick) takes it over and continues
 * from the cursor. A boundary renewed before the crash is not due again: its clock has moved.
 */

const BY = 'system:renewal-runs';

export interface RenewalRunWorker {
  /** Looks for unfinished runs now (a run just queued, a tick); joins a pass already going. */
  wake(): Promise<void>;
  /** Stops between two subscriptions (the page done so far is saved) and waits for it. */
  stop(): Promise<void>;
}

export function renewalRunWorker(
  deps: TenantsDeps,
  opts: { pageSize: number; leaseMs: number; logger?: Logger },
): RenewalRunWorker {
  // this process, as a lease names it: another process never works a run while its lease holds
  const owner = newId('rrw');
  let stopping = false;
  let running: Promise<void> | null = null;
  let again = false;

  const leaseFrom = (now: Date) => ({ owner, until: new Date(now.getTime() + opts.leaseMs) });
  const key = (run: RenewalRun) => ({ id: run._id, tenantId: run.tenant_id });

  /** Takes the run when it is unfinished and nobody else's lease holds; null otherwise. */
  async function claim(run: RenewalRun): Promise<RenewalRun | null> {
    const now = new Date();
    const result = await deps.aggregates
      .change<RenewalRun>(deps.renewalRuns.aggregate, key(run), (r) => {
        if (!UNFINISHED_STATUSES.includes(r.status)) return undefined;
        if (r.lease && r.lease.owner !== owner && new Date(r.lease.until) > now) return undefined;
        return {
          set: {
            status: 'running',
            started_at: r.started_at ?? now,
            lease: leaseFrom(now),
            updated_by: BY,
          },
        };
      })
      .catch(ignoreNotFound);
    return result?.changed ? result.after : null;
  }

  /** One subscription: its due boundaries renewed up to the run's cutoff, or why not. */
  async function renewOne(
    sub: { _id: string; tenant_id: string; current_period_end: Date },
    cutoff: Date,
  ): Promise<SubscriptionOutcome> {
    const subscription_id = sub._id;
    if (new Date(sub.current_period_end) > cutoff) return { subscription_id, due: false };
    try {
      let renewed = 0;
      let last: number;
      do {
        // `now` is the cutoff and no grace: the run renews exactly what was due when it started
        last = await renewProviderSubscription(
          deps,
          { id: sub._id, tenantId: sub.tenant_id },
          { now: cutoff, graceMs: 0 },
        );
        renewed += last;
      } while (last === BOUNDARIES_PER_CALL);
      return { subscription_id, due: true, renewed };
    } catch (err) {
      if (err instanceof AppError) return { subscription_id, due: true, error: err.message };
      opts.logger?.warn({ err, subscription_id }, 'renewal run: a subscription failed');
      return { subscription_id, due: true, error: 'The renewal failed (see the tenants log)' };
    }
  }

  /** Pages until the run is done, the process stops, or the run is no longer this process's. */
  async function work(claimed: RenewalRun): Promise<void> {
    let run = claimed;
    const cutoff = new Date(run.cutoff);
    while (!stopping) {
      const page = await deps.subscriptions.livePage(run.tenant_id, run.cursor, opts.pageSize);
      const outcomes: SubscriptionOutcome[] = [];
      for (const sub of page) {
        if (stopping) break;
        outcomes.push(await renewOne(sub, cutoff));
      }
      const finished = outcomes.length === page.length && page.length < opts.pageSize;
      const cursor = outcomes.at(-1)?.subscription_id ?? run.cursor;
      const seenCursor = run.cursor;
      const saved = await deps.aggregates
        .change<RenewalRun>(deps.renewalRuns.aggregate, key(run), (r) => {
          // taken over (this process was too slow for its lease) or already moved on: the other
          // worker counts from its own cursor; what this page renewed stays renewed, once
          if (r.lease?.owner !== owner || r.cursor !== seenCursor) return undefined;
          if (!UNFINISHED_STATUSES.includes(r.status)) return undefined;
          const counters = addPage(r, outcomes);
          const now = new Date();
          const end = finished
            ? {
                status: finishedStatus(counters),
                completed_at: now,
                live_key: `done:${r._id}`,
                lease: null,
              }
            : // stopping: the lease given up, so the next process continues at once
              { lease: stopping ? null : leaseFrom(now) };
          return { set: { ...counters, cursor, ...end, updated_by: BY } };
        })
        .catch(ignoreNotFound);
      if (!saved?.changed || finished) return;
      run = saved.after;
    }
  }

  async function pass(): Promise<void> {
    for (const run of await deps.renewalRuns.unfinished(20)) {
      if (stopping) return;
      const claimed = await claim(run);
      if (claimed) await work(claimed);
    }
  }

  function wake(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && !stopping);
    })()
      .catch((err: unknown) => opts.logger?.warn({ err }, 'renewal runs failed'))
      .finally(() => {
        running = null;
        // woken after the last pass had read the runs: look again
        if (again && !stopping) void wake();
      });
    return running;
  }

  return {
    wake,
    async stop() {
      stopping = true;
      await running;
    },
  };
}
