import type { DunningPolicyRequest } from '@ledgerline/contracts';

/**
 * Dunning (issue 17), pure: the steps a tenant's policy takes for one invoice, dated from its due
 * date, and which of them are due at a moment. All times are UTC days: a step at offset `o` is due
 * from 00:00 of due date + o days; the invoice is overdue from 00:00 the day after its due date.
 */

export type DunningAction = DunningPolicyRequest['final_action'];

export interface DunningPolicy {
  reminder_offsets_days: number[];
  final_action: DunningAction;
  final_action_after_days: number | null;
}

/** Without a policy of its own a tenant's invoices only become overdue. */
export const DEFAULT_DUNNING_POLICY: DunningPolicy = {
  reminder_offsets_days: [],
  final_action: 'none',
  final_action_after_days: null,
};

export interface DunningStep {
  /** Unique per invoice: what the invoice's history records so a step is taken once. */
  key: string;
  step: 'reminder' | 'overdue' | 'final_action';
  offset_days: number;
  action: DunningAction | null;
  at: Date;
}

const DAY_MS = 86_400_000;
const dayOf = (date: string, offset: number) =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + offset * DAY_MS);

/** The policy's steps for an invoice due on `dueDate` (YYYY-MM-DD), in the order they fall due. */
export function scheduleOf(policy: DunningPolicy, dueDate: string): DunningStep[] {
  const steps: DunningStep[] = [
    ...policy.reminder_offsets_days.map((o) => ({
      key: `reminder:${o}`,
      step: 'reminder' as const,
      offset_days: o,
      action: null,
      at: dayOf(dueDate, o),
    })),
    { key: 'overdue', step: 'overdue', offset_days: 1, action: null, at: dayOf(dueDate, 1) },
  ];
  if (policy.final_action !== 'none' && policy.final_action_after_days !== null)
    steps.push({
      key: `final:${policy.final_action_after_days}`,
      step: 'final_action',
      offset_days: policy.final_action_after_days,
      action: policy.final_action,
      at: dayOf(dueDate, policy.final_action_after_days),
    });
  // at the same moment the overdue mark comes before a reminder, a reminder before the final action
  const rank = { overdue: 0, reminder: 1, final_action: 2 };
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime() || rank[a.step] - rank[b.step]);
}

/**
 * What a sweep at `now` does: the steps due and not taken yet. Of several reminders due at once
 * (a sweep that ran late, an invoice issued after some offsets had passed) only the latest is
 * sent; the earlier are recorded as skipped, so a customer never gets a burst of reminders. The
 * overdue mark and the final action are never skipped.
 */
export function stepsToTake(
  schedule: readonly DunningStep[],
  done: ReadonlySet<string>,
  now: Date,
): { take: DunningStep[]; skip: DunningStep[] } {
  const due = schedule.filter((s) => s.at.getTime() <= now.getTime() && !done.has(s.key));
  const reminders = due.filter((s) => s.step === 'reminder');
  const latest = reminders[reminders.length - 1];
  return {
    take: due.filter((s) => s.step !== 'reminder' || s === latest),
    skip: reminders.filter((s) => s !== latest),
  };
}

/** When the next step falls due, or null when every step is taken. */
export function nextStepAt(
  schedule: readonly DunningStep[],
  done: ReadonlySet<string>,
): Date | null {
  return schedule.find((s) => !done.has(s.key))?.at ?? null;
}
