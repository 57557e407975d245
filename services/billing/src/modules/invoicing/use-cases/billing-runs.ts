import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppError,
  buildEvent,
  type CreateBillingRunRequest,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import {
  ignoreNotFound,
  isUnavailableError,
  newId,
  setBounded,
  type Logger,
} from '@ledgerline/platform';
import type { BillingRun, BillingRunStore, RunError } from '../store/billing-runs';
import type { DetailFact } from '../store/entitlements';
import { autoGenerate, periodOf } from './auto-generate';
import { autoGenerateChunk, type RunOutcome } from './run-chunk-invoices';
import type { Caller, InvoicingDeps } from './invoices';

/**
 * Entitlements per chunk command. A chunk is made with a fixed handful of queries (FerretDB scans
 * for all but `_id` lookups, so the count of queries is what costs) and one insert, so bigger
 * chunks are cheaper per invoice; but the consumer cannot heartbeat while a handler runs, so a
 * chunk must finish well inside the group's session timeout (30 s) on a slow, shared machine,
 * and a chunk is redone whole after a crash. 100 took about two seconds on this 2-core machine
 * at a load average of 20 (a few tenths when quiet), and 5,000 entitlements still make 50 chunks
 * to spread over the partitions and the workers.
 */
export const RUN_CHUNK_SIZE = 100;
/** A busy lock (e.g. held by a killed worker until its TTL) is waited out this many times. */
const BUSY_RETRIES = 8;

function runsOf(deps: InvoicingDeps): BillingRunStore {
  if (!deps.runs) throw new Error('billing runs need the run store');
  return deps.runs;
}

/**
 * Starts a billing run: every entitlement of the tenant with an active detail in the period, cut
 * into chunk commands that are written with the run (its outbox), so none can be lost. Answers the
 * queued run; the workers do the rest.
 */
export async function startBillingRun(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateBillingRunRequest,
): Promise<BillingRun> {
  const period = periodOf(req);
  if (!deps.projection) throw new Error('billing runs need the entitlement projection');
  const entitlements = await deps.projection.billableEntitlements(caller.tenantId, period);
  const runId = newId('brun');
  const issue = req.issue ?? false;
  const chunks: EventEnvelope[] = [];
  for (let i = 0; i < entitlements.length; i += RUN_CHUNK_SIZE) {
    chunks.push(
      buildEvent('BillingRunChunkRequested', {
        tenant_id: caller.tenantId,
        correlation_id: caller.correlationId,
        data: {
          run_id: runId,
          chunk_id: `${runId}:${i / RUN_CHUNK_SIZE}`,
          entitlement_ids: entitlements.slice(i, i + RUN_CHUNK_SIZE),
          period_start: period.start,
          period_end: period.end,
          issue,
          requested_by: caller.userId,
        },
      }),
    );
  }
  const empty = chunks.length === 0;
  const run = await runsOf(deps).insert(
    {
      _id: runId,
      tenant_id: caller.tenantId,
      status: empty ? 'completed' : 'queued',
      period_start: period.start,
      period_end: period.end,
      issue,
      total: entitlements.length,
      chunks_total: chunks.length,
      done_chunks: [],
      generated: 0,
      skipped: 0,
      failed: 0,
      failures: [],
      version: 1,
      completed_at: empty ? new Date() : null,
      created_by: caller.userId,
      updated_by: caller.userId,
    },
    chunks,
  );
  // the run's chunk commands are in its outbox as inserted: published without a scan or a read
  if (!empty)
    deps.publishSoon([run._id], {
      collection: runsOf(deps).model.collection.name,
      outboxes: new Map([[run._id, chunks]]),
    });
  return run;
}

export async function getBillingRun(deps: InvoicingDeps, caller: Caller, id: string) {
  const run = await runsOf(deps).findById(caller.tenantId, id);
  if (!run) throw AppError.notFound('Billing run');
  return run;
}

export async function listBillingRuns(deps: InvoicingDeps, caller: Caller, query: ListQuery) {
  return runsOf(deps).list(caller.tenantId, query);
}

function isBusy(err: unknown): boolean {
  return err instanceof AppError && err.kind === 'conflict';
}

type Chunk = EventEnvelope<'BillingRunChunkRequested'>['data'];
type RowsByEntitlement = Map<string, DetailFact[]>;

/**
 * A run's entitlement rows are read once per worker process for the whole run, not once per
 * chunk: FerretDB answers a filter on anything but `_id` with a collection scan, so the 50 chunks
 * of a 5,000-entitlement run scanned the rows 50 times. A run bills data settled before it (its
 * chunks were cut from the same rows), so the rows as this worker first read them for the run
 * are what it bills. Kept for the last few runs and minutes; a bigger run reads per chunk.
 */
const RUN_ROWS_MAX_ENTITLEMENTS = 20_000;
const RUN_ROWS_KEPT = 2;
const RUN_ROWS_TTL_MS = 10 * 60_000;
const runRows = new Map<string, { at: number; rows: Promise<RowsByEntitlement> }>();

function rowsOfRun(
  deps: InvoicingDeps,
  run: BillingRun,
): ((entitlementIds: string[]) => Promise<RowsByEntitlement>) | undefined {
  if (!deps.projection || run.total > RUN_ROWS_MAX_ENTITLEMENTS) return undefined;
  const now = Date.now();
  for (const [key, kept] of runRows) if (now - kept.at > RUN_ROWS_TTL_MS) runRows.delete(key);
  const key = `${run.tenant_id}:${run._id}`;
  let kept = runRows.get(key);
  if (!kept) {
    kept = { at: now, rows: deps.projection.detailsOfTenant(run.tenant_id) };
    // a failed read is not kept (the chunk fails and is redelivered; the next one reads again)
    kept.rows.catch(() => runRows.delete(key));
    setBounded(runRows, key, kept, RUN_ROWS_KEPT);
  }
  const { rows } = kept;
  return async (entitlementIds) => {
    const all = await rows;
    return new Map(entitlementIds.map((id) => [id, all.get(id) ?? []]));
  };
}

/**
 * The chunk's invoices, made together. A busy lock (the tenant's numbering or limit lock, held by
 * the other chunks being made at once, in this worker or another) is waited out for the whole
 * chunk: made one by one, a chunk costs a hundred times the queries and took ~1 s per invoice.
 * When the block cannot be made as one (the plan's limit has no room for all of it, or the lock
 * stays busy), each entitlement is tried on its own, so the ones that fit are made and the others
 * carry their own reason. An outage goes up (the chunk is redelivered).
 */
async function generateChunk(
  deps: InvoicingDeps,
  caller: Caller,
  chunk: Chunk,
  run: BillingRun,
): Promise<Map<string, RunOutcome>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await autoGenerateChunk(deps, caller, {
        entitlement_ids: chunk.entitlement_ids,
        period: { start: chunk.period_start, end: chunk.period_end },
        issue: chunk.issue,
        runId: chunk.run_id,
        detailsOf: rowsOfRun(deps, run),
        // the chunk command is redelivered until its handler returns
        publishItself: true,
      });
    } catch (err) {
      if (isUnavailableError(err) || !(err instanceof AppError)) throw err;
      if (isBusy(err) && attempt < BUSY_RETRIES) {
        await sleep(250 * attempt);
        continue;
      }
      break;
    }
  }
  const outcomes = new Map<string, RunOutcome>();
  for (const entitlementId of chunk.entitlement_ids)
    outcomes.set(entitlementId, await generateOne(deps, caller, chunk, entitlementId));
  return outcomes;
}

/** One entitlement of a chunk; a busy lock is waited out, an outage goes up (chunk redelivered). */
async function generateOne(
  deps: InvoicingDeps,
  caller: Caller,
  chunk: Chunk,
  entitlementId: string,
): Promise<RunOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { created } = await autoGenerate(
        deps,
        caller,
        {
          entitlement_id: entitlementId,
          period_start: chunk.period_start,
          period_end: chunk.period_end,
          issue: chunk.issue,
        },
        chunk.run_id,
      );
      return created ? 'generated' : 'skipped';
    } catch (err) {
      if (isUnavailableError(err)) throw err;
      if (isBusy(err) && attempt < BUSY_RETRIES) {
        await sleep(250 * attempt);
        continue;
      }
      if (err instanceof AppError) return err;
      throw err;
    }
  }
}

/**
 * A worker's share of a run: generates the chunk's invoices (each idempotent through its
 * deterministic id), then records the chunk in its run once, under the run's lock. A chunk
 * redelivered after a crash regenerates nothing and is counted once.
 */
export async function processRunChunk(
  deps: InvoicingDeps & { logger?: Logger },
  event: EventEnvelope<'BillingRunChunkRequested'>,
): Promise<void> {
  const chunk = event.data;
  const runs = runsOf(deps);
  const before = await runs.findById(event.tenant_id, chunk.run_id);
  if (!before || before.done_chunks.includes(chunk.chunk_id)) return;
  const caller: Caller = {
    tenantId: event.tenant_id,
    userId: chunk.requested_by ?? 'billing-run',
    correlationId: event.correlation_id,
  };
  let generated = 0;
  let skipped = 0;
  const errors: RunError[] = [];
  for (const [entitlementId, outcome] of await generateChunk(deps, caller, chunk, before)) {
    if (outcome === 'generated') generated += 1;
    else if (outcome === 'skipped') skipped += 1;
    else errors.push({ entitlement_id: entitlementId, message: outcome.message });
  }
  const key = { id: chunk.run_id, tenantId: event.tenant_id };
  await deps.aggregates
    .change<BillingRun>(runs.aggregate, key, (run) => {
      if (run.done_chunks.includes(chunk.chunk_id)) return undefined; // a redelivered chunk
      const done = [...run.done_chunks, chunk.chunk_id];
      const failed = run.failed + errors.length;
      const finished = done.length >= run.chunks_total;
      return {
        set: {
          done_chunks: done,
          generated: run.generated + generated,
          skipped: run.skipped + skipped,
          failed,
          failures: [...run.failures, ...errors],
          status: finished ? (failed > 0 ? 'completed_with_errors' : 'completed') : 'running',
          completed_at: finished ? new Date() : null,
        },
      };
    })
    .catch(ignoreNotFound);
  deps.logger?.info(
    { run_id: chunk.run_id, chunk_id: chunk.chunk_id, generated, skipped, failed: errors.length },
    'billing run chunk done',
  );
}
