import type { RenewalRunStatus } from '@ledgerline/contracts';

/**
 * A provider's renewal run (issue 18), the pure part: its counters, how one page of work adds to
 * them, and the status they make. The tenants service saves the counters after each page.
 */
export interface RunCounters {
  subscriptions_done: number;
  due: number;
  renewed: number;
  failed: number;
  /** The first failures with why (stored as `failures`: mongoose reserves `errors`). */
  failures: RunError[];
}

export interface RunError {
  subscription_id: string;
  message: string;
}

/** What one subscription of a page came to. */
export type SubscriptionOutcome =
  | { subscription_id: string; due: false }
  | { subscription_id: string; due: true; renewed: number }
  | { subscription_id: string; due: true; error: string };

/** A run keeps this many errors (the first ones): the counter `failed` still counts them all. */
export const MAX_RUN_ERRORS = 50;

export const EMPTY_COUNTERS: RunCounters = {
  subscriptions_done: 0,
  due: 0,
  renewed: 0,
  failed: 0,
  failures: [],
};

/** The counters after one page: added to those saved, so a resumed run continues the totals. */
export function addPage(counters: RunCounters, page: readonly SubscriptionOutcome[]): RunCounters {
  const next: RunCounters = {
    subscriptions_done: counters.subscriptions_done,
    due: counters.due,
    renewed: counters.renewed,
    failed: counters.failed,
    failures: [...counters.failures],
  };
  for (const outcome of page) {
    next.subscriptions_done++;
    if (!outcome.due) continue;
    next.due++;
    if ('error' in outcome) {
      next.failed++;
      if (next.failures.length < MAX_RUN_ERRORS)
        next.failures.push({ subscription_id: outcome.subscription_id, message: outcome.error });
    } else {
      next.renewed += outcome.renewed;
    }
  }
  return next;
}

/** A finished run's status: with errors when any due subscription failed. */
export function finishedStatus(counters: Pick<RunCounters, 'failed'>): RenewalRunStatus {
  return counters.failed > 0 ? 'completed_with_errors' : 'completed';
}

/** `queued` and `running` runs are unfinished: one at a time per provider, resumed on start. */
export const UNFINISHED_STATUSES: readonly RenewalRunStatus[] = ['queued', 'running'];
