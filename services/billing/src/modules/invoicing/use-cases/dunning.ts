import {
  AppError,
  buildEvent,
  type DunningPolicyRequest,
  type DunningPolicyView,
  type EventEnvelope,
} from '@ledgerline/contracts';
import { ignoreNotFound, type Logger } from '@ledgerline/platform';
import {
  DEFAULT_DUNNING_POLICY,
  nextStepAt,
  scheduleOf,
  stepsToTake,
  type DunningPolicy,
  type DunningStep,
} from '../domain/dunning';
import type { StoredDunningPolicy } from '../store/dunning';
import type { Invoice } from '../store/invoices';
import type { Caller, InvoicingDeps } from './invoices';

/**
 * Dunning (issue 17): issued invoices with a due date are queued when billing publishes them; a
 * sweep takes each queued invoice whose next step is due, records the steps on the invoice with
 * their events in one write (the invoice's history is what makes a step happen once, so the sweep
 * is idempotent and resumable: killed between the invoice and the queue, it finds the steps done),
 * then moves the queue entry to the next step, or removes it when the invoice is paid, voided or
 * has no step left.
 */

const open = (inv: Invoice) =>
  (inv.status === 'unpaid' || inv.status === 'partial') && inv.balance_due_minor > 0;

function policyView(stored: StoredDunningPolicy | null): DunningPolicyView {
  const p = stored ?? DEFAULT_DUNNING_POLICY;
  return {
    reminder_offsets_days: [...p.reminder_offsets_days],
    final_action: p.final_action,
    final_action_after_days: p.final_action_after_days ?? null,
    custom: stored !== null,
    updated_at: stored ? new Date(stored.updated_at).toISOString() : null,
  };
}

export async function getDunningPolicy(deps: InvoicingDeps, caller: Caller) {
  return policyView(await deps.dunning.policy(caller.tenantId));
}

export async function setDunningPolicy(
  deps: InvoicingDeps,
  caller: Caller,
  body: DunningPolicyRequest,
): Promise<DunningPolicyView> {
  const after = body.final_action_after_days ?? null;
  if (body.final_action !== 'none' && after === null)
    throw AppError.validation('A final action needs the days after the due date it comes', [
      { field: 'final_action_after_days', message: 'is required unless final_action is none' },
    ]);
  const stored = await deps.dunning.setPolicy(caller.tenantId, {
    reminder_offsets_days: [...body.reminder_offsets_days].sort((a, b) => a - b),
    final_action: body.final_action,
    final_action_after_days: body.final_action === 'none' ? null : after,
  });
  // the tenant's open invoices are rescheduled by the new policy at the next sweep
  await deps.dunning.wakeTenant(caller.tenantId, new Date());
  return policyView(stored);
}

/** The invoices billing published issued with a due date join the queue at their first step. */
export async function queueIssuedInvoices(
  deps: InvoicingDeps,
  events: readonly EventEnvelope<'InvoiceCreated' | 'InvoiceStatusChanged'>[],
): Promise<void> {
  const issued = events.filter(
    (e) =>
      e.data.due_date !== null &&
      (e.data.status === 'unpaid' || e.data.status === 'partial') &&
      (e.type === 'InvoiceCreated' ||
        (e as EventEnvelope<'InvoiceStatusChanged'>).data.previous_status === 'draft'),
  );
  const policies = new Map<string, DunningPolicy>();
  const entries = [];
  for (const e of issued) {
    if (!policies.has(e.tenant_id))
      policies.set(e.tenant_id, (await deps.dunning.policy(e.tenant_id)) ?? DEFAULT_DUNNING_POLICY);
    const first = nextStepAt(scheduleOf(policies.get(e.tenant_id)!, e.data.due_date!), new Set());
    if (first) entries.push({ _id: e.data.invoice_id, tenant_id: e.tenant_id, next_at: first });
  }
  await deps.dunning.enqueue(entries);
}

function stepEvent(inv: Invoice, step: DunningStep, correlationId: string): EventEnvelope {
  const subject = {
    invoice_id: inv._id,
    invoice_number: inv.invoice_number,
    customer_id: inv.customer_id,
    currency: inv.currency,
    balance_due_minor: inv.balance_due_minor,
    due_date: inv.due_date!,
    subscription_id: inv.subscription_id ?? null,
  };
  if (step.step === 'overdue')
    return buildEvent('InvoiceOverdue', {
      tenant_id: inv.tenant_id,
      correlation_id: correlationId,
      data: { ...subject, overdue_at: step.at.toISOString() },
    });
  return buildEvent('InvoiceDunningStep', {
    tenant_id: inv.tenant_id,
    correlation_id: correlationId,
    data: { ...subject, step: step.step, offset_days: step.offset_days, action: step.action },
  });
}

/** The due steps of one queued invoice, then its queue entry moved on (or removed). */
async function dunInvoice(
  deps: InvoicingDeps,
  entry: { _id: string; tenant_id: string },
  policy: DunningPolicy,
  now: Date,
): Promise<number> {
  let next: Date | null = null;
  let taken = 0;
  await deps.aggregates
    .change<Invoice>(
      deps.invoices.aggregate,
      { id: entry._id, tenantId: entry.tenant_id },
      (inv) => {
        next = null;
        if (!open(inv) || !inv.due_date) return undefined;
        const schedule = scheduleOf(policy, inv.due_date);
        const done = new Set((inv.dunning ?? []).map((d) => d.key));
        const { take, skip } = stepsToTake(schedule, done, now);
        next = nextStepAt(schedule, new Set([...done, ...[...take, ...skip].map((s) => s.key)]));
        if (take.length === 0 && skip.length === 0) return undefined;
        taken = take.length;
        const record = (s: DunningStep, skipped: boolean) => ({
          key: s.key,
          step: s.step,
          offset_days: s.offset_days,
          action: s.action,
          at: now,
          skipped,
        });
        const entries = [...skip.map((s) => record(s, true)), ...take.map((s) => record(s, false))];
        const overdue = take.find((s) => s.step === 'overdue');
        const correlationId = `dunning-${inv._id}`;
        return {
          ...(overdue && { set: { overdue: true, overdue_at: now } }),
          push: { dunning: { $each: entries } },
          events: take.map((s) => stepEvent(inv, s, correlationId)),
          touch: false,
        };
      },
    )
    .catch(ignoreNotFound);
  await deps.dunning.reschedule(entry._id, next);
  return taken;
}

/**
 * One pass over the queue: every invoice whose next step is due at `now` (at most `limit`).
 * Answers the steps taken. Several workers may sweep at once: the invoice's history decides.
 */
export async function runDunningSweep(
  deps: InvoicingDeps & { logger: Logger },
  now = new Date(),
  limit = 500,
): Promise<number> {
  const due = await deps.dunning.due(now, limit);
  const policies = new Map<string, DunningPolicy>();
  let steps = 0;
  for (const entry of due) {
    if (!policies.has(entry.tenant_id))
      policies.set(
        entry.tenant_id,
        (await deps.dunning.policy(entry.tenant_id)) ?? DEFAULT_DUNNING_POLICY,
      );
    steps += await dunInvoice(deps, entry, policies.get(entry.tenant_id)!, now);
  }
  if (steps > 0) deps.logger.info({ invoices: due.length, steps }, 'dunning steps taken');
  return steps;
}
