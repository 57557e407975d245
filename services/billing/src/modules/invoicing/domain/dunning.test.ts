import {
  DEFAULT_DUNNING_POLICY,
  nextStepAt,
  scheduleOf,
  stepsToTake,
  type DunningPolicy,
} from './dunning';

const POLICY: DunningPolicy = {
  reminder_offsets_days: [7, -3, 0, 3],
  final_action: 'suspend_entitlements',
  final_action_after_days: 14,
};
const at = (iso: string) => new Date(iso);
const keys = (steps: { key: string }[]) => steps.map((s) => s.key);

describe('dunning schedule', () => {
  test('when an invoice is due on 2026-03-10, then its steps fall on the policy days from it, in order', () => {
    expect(
      scheduleOf(POLICY, '2026-03-10').map((s) => [s.key, s.at.toISOString(), s.action]),
    ).toEqual([
      ['reminder:-3', '2026-03-07T00:00:00.000Z', null],
      ['reminder:0', '2026-03-10T00:00:00.000Z', null],
      ['overdue', '2026-03-11T00:00:00.000Z', null],
      ['reminder:3', '2026-03-13T00:00:00.000Z', null],
      ['reminder:7', '2026-03-17T00:00:00.000Z', null],
      ['final:14', '2026-03-24T00:00:00.000Z', 'suspend_entitlements'],
    ]);
  });

  test('when the policy is the default, then the only step is overdue the day after the due date', () => {
    expect(keys(scheduleOf(DEFAULT_DUNNING_POLICY, '2026-02-28'))).toEqual(['overdue']);
    expect(scheduleOf(DEFAULT_DUNNING_POLICY, '2026-02-28')[0]!.at.toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });

  test('when sweeps run day by day, then each step is taken once on its day', () => {
    const schedule = scheduleOf(POLICY, '2026-03-10');
    const done = new Set<string>();
    const taken: string[] = [];
    for (let day = 1; day <= 31; day++) {
      const now = at(`2026-03-${String(day).padStart(2, '0')}T06:00:00.000Z`);
      const { take, skip } = stepsToTake(schedule, done, now);
      expect(skip).toEqual([]);
      for (const s of take) {
        taken.push(`${day}:${s.key}`);
        done.add(s.key);
      }
    }
    expect(taken).toEqual([
      '7:reminder:-3',
      '10:reminder:0',
      '11:overdue',
      '13:reminder:3',
      '17:reminder:7',
      '24:final:14',
    ]);
    expect(nextStepAt(schedule, done)).toBeNull();
  });

  test('when the first sweep comes 8 days after the due date, then the overdue mark and the latest reminder are taken and the earlier reminders skipped', () => {
    const schedule = scheduleOf(POLICY, '2026-03-10');
    const { take, skip } = stepsToTake(schedule, new Set(), at('2026-03-18T00:00:00.000Z'));
    expect(keys(take)).toEqual(['overdue', 'reminder:7']);
    expect(keys(skip)).toEqual(['reminder:-3', 'reminder:0', 'reminder:3']);
    const done = new Set([...keys(take), ...keys(skip)]);
    expect(nextStepAt(schedule, done)?.toISOString()).toBe('2026-03-24T00:00:00.000Z');
  });

  test('when a step is due exactly at midnight, then a sweep at that instant takes it and one a millisecond before does not', () => {
    const schedule = scheduleOf(DEFAULT_DUNNING_POLICY, '2026-03-10');
    expect(stepsToTake(schedule, new Set(), at('2026-03-10T23:59:59.999Z')).take).toEqual([]);
    expect(keys(stepsToTake(schedule, new Set(), at('2026-03-11T00:00:00.000Z')).take)).toEqual([
      'overdue',
    ]);
  });
});
