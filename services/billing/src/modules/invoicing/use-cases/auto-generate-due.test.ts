import { AppError } from '@ledgerline/contracts';
import { billableDetail as row } from '../../../test-support/billable-detail';
import type { BillableDetail } from '../domain/invoice-lines';
import { dueMonths } from './auto-generate-due';

const starts = (details: BillableDetail[], today: string) =>
  dueMonths('ent_1', details, today).map((m) => m.start);

function refusal(details: BillableDetail[], today: string): AppError {
  try {
    dueMonths('ent_1', details, today);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

describe('dueMonths', () => {
  it('when the rows are dated in January 2025 and today is later, then January alone is due', () => {
    expect(dueMonths('ent_1', [row()], '2026-12-05')).toEqual([
      { start: '2025-01-01', end: '2025-01-31' },
    ]);
  });

  it('when a row is open-ended from two months ago, then those months and this one are due', () => {
    expect(starts([row({ start_date: '2026-10-15', end_date: null })], '2026-12-05')).toEqual([
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
    ]);
  });

  it('when the rows leave a gap and a year turns, then only the months a row meets are due', () => {
    const details = [
      row({ start_date: '2025-11-20', end_date: '2025-12-10' }),
      row({ detail_id: 'd2', start_date: '2026-02-01', end_date: null }),
    ];
    expect(starts(details, '2026-03-01')).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-02-01',
      '2026-03-01',
    ]);
  });

  it('when a row is inactive, then it makes no month due', () => {
    const details = [row(), row({ detail_id: 'd2', start_date: '2024-06-01', is_active: false })];
    expect(starts(details, '2025-02-01')).toEqual(['2025-01-01']);
  });

  it('when there is nothing to bill, then the refusal is a 422 saying why', () => {
    expect(refusal([], '2026-12-05')).toMatchObject({
      status: 422,
      message: 'Entitlement ent_1 has no details to bill',
    });
    expect(refusal([row({ status: 'suspended' })], '2026-12-05')).toMatchObject({
      status: 422,
      message: 'Entitlement ent_1 has no active details to bill',
    });
    expect(
      refusal([row({ start_date: '2027-01-01', end_date: null })], '2026-12-05'),
    ).toMatchObject({
      status: 422,
      message: 'Entitlement ent_1 has nothing due yet: its first billable day is 2027-01-01',
    });
  });
});
