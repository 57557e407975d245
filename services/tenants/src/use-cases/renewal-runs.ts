import { AppError, type ListQuery, type RenewalRunView } from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { queuedRun, type RenewalRun } from '../store/renewal-runs';
import type { Caller, TenantsDeps } from './deps';
import { providerOf } from './providers';

/**
 * A provider's renewal runs (issue 18), as the API starts and reads them: a run renews every live
 * subscription of the provider whose period ended by its cutoff, in the background
 * (use-cases/renewal-run-worker.ts). One unfinished run per provider, decided by the insert.
 */

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

export function renewalRunView(r: RenewalRun): RenewalRunView {
  return {
    id: r._id,
    status: r.status,
    cutoff: iso(r.cutoff),
    subscriptions_done: r.subscriptions_done,
    due: r.due,
    renewed: r.renewed,
    failed: r.failed,
    errors: r.failures.map((f) => ({ subscription_id: f.subscription_id, message: f.message })),
    started_at: isoOrNull(r.started_at),
    completed_at: isoOrNull(r.completed_at),
    created_by: r.created_by,
    updated_by: r.updated_by,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

/**
 * Queues a run and wakes the worker; 409 `run_in_progress` naming the provider's unfinished run.
 * The cutoff is the sweep's own rule (now less the usage lateness and settling time), so a run
 * never closes a period whose late usage may still arrive.
 */
export async function startRenewalRun(deps: TenantsDeps, caller: Caller, slug: string) {
  const provider = await providerOf(deps, caller, slug);
  const cutoff = new Date(Date.now() - deps.renewalGraceMs);
  const run = await deps.renewalRuns.insert(
    queuedRun(newId('rrun'), provider._id, cutoff, caller.userId),
  );
  if (!run) {
    const live = await deps.renewalRuns.findLive(provider._id);
    const named = live ? `${live._id} is still ${live.status}` : 'is still running';
    throw AppError.conflict('run_in_progress', `A renewal run of this provider ${named}`, [
      { field: 'id', message: 'the unfinished run', ...(live && { run_id: live._id }) },
    ]);
  }
  deps.renewalRunsWake();
  return renewalRunView(run);
}

export async function getRenewalRun(deps: TenantsDeps, caller: Caller, slug: string, id: string) {
  const provider = await providerOf(deps, caller, slug);
  const run = await deps.renewalRuns.findById(provider._id, id);
  if (!run) throw AppError.notFound('Renewal run');
  return renewalRunView(run);
}

export async function listRenewalRuns(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  q: ListQuery,
) {
  const provider = await providerOf(deps, caller, slug);
  const { results, count } = await deps.renewalRuns.list(provider._id, q.page, q.perPage);
  return { results: results.map(renewalRunView), count };
}
