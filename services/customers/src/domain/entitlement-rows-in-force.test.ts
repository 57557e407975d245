import { isRowActive, rowOverlapsRange } from './entitlement-rows';

describe('rows in force', () => {
  const row = {
    is_active: true,
    status: 'active' as const,
    start_date: '2025-01-01',
    end_date: '2025-01-31',
  };

  test('when today is within the dates and the row is on, then it is active', () => {
    expect(isRowActive(row, '2025-01-01')).toBe(true);
    expect(isRowActive(row, '2025-01-31')).toBe(true);
    expect(isRowActive(row, '2025-02-01')).toBe(false);
    expect(isRowActive(row, '2024-12-31')).toBe(false);
    expect(isRowActive({ ...row, end_date: null }, '2099-01-01')).toBe(true);
    expect(isRowActive({ ...row, is_active: false }, '2025-01-15')).toBe(false);
    expect(isRowActive({ ...row, status: 'suspended' }, '2025-01-15')).toBe(false);
  });

  test('when a history range is asked for, then rows in force at any point of it are in', () => {
    expect(rowOverlapsRange(row, '2025-01-31', '2025-02-28')).toBe(true);
    expect(rowOverlapsRange(row, '2025-02-01', '2025-02-28')).toBe(false);
    expect(rowOverlapsRange(row, null, '2024-12-31')).toBe(false);
    expect(rowOverlapsRange(row, null, null)).toBe(true);
    expect(rowOverlapsRange({ ...row, end_date: null }, '2030-01-01', null)).toBe(true);
  });
});
