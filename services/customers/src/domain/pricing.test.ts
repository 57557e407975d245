import { findOverlap, pricingOn, todayUtc, windowsOverlap, type PricingWindow } from './pricing';

const p = (
  id: string,
  start: string,
  end: string | null,
  is_active = true,
): PricingWindow & { rate: string } => ({
  id,
  is_active,
  val_start_at: start,
  val_end_at: end,
  rate: id,
});

describe('pricing windows', () => {
  test('when windows share a single day, then they overlap (both ends inclusive)', () => {
    expect(windowsOverlap(p('a', '2025-01-01', '2025-06-30'), p('b', '2025-06-30', null))).toBe(
      true,
    );
    expect(windowsOverlap(p('a', '2025-01-01', '2025-06-29'), p('b', '2025-06-30', null))).toBe(
      false,
    );
  });

  test('when a window is open-ended, then it overlaps everything after its start', () => {
    expect(windowsOverlap(p('a', '2025-01-01', null), p('b', '2099-01-01', '2099-01-02'))).toBe(
      true,
    );
    expect(windowsOverlap(p('a', '2025-01-01', null), p('b', '2024-01-01', '2024-12-31'))).toBe(
      false,
    );
    expect(windowsOverlap(p('a', '2025-01-01', null), p('b', '2020-01-01', null))).toBe(true);
  });

  test('when a new active pricing overlaps an active one, then that one is named; inactive ones never conflict', () => {
    const existing = [
      p('jan-jun', '2025-01-01', '2025-06-30'),
      p('old', '2024-01-01', '2025-12-31', false),
    ];
    expect(findOverlap(p('new', '2025-06-01', '2025-12-31'), existing)?.id).toBe('jan-jun');
    expect(findOverlap(p('new', '2025-07-01', '2025-12-31'), existing)).toBeNull();
    expect(findOverlap(p('new', '2025-03-01', null, false), existing)).toBeNull();
  });

  test('when a pricing is compared with itself (an update), then it does not conflict', () => {
    const existing = [p('a', '2025-01-01', '2025-06-30')];
    expect(findOverlap(p('a', '2025-01-01', '2025-12-31'), existing)).toBeNull();
  });
});

describe('active pricing', () => {
  const pricings = [
    p('2024', '2024-01-01', '2024-12-31'),
    p('2025', '2025-01-01', '2025-12-31'),
    p('2025-off', '2025-01-01', '2025-12-31', false),
    p('2026+', '2026-01-01', null),
  ];

  test('when a day falls in an active window, then that pricing is the one in force', () => {
    expect(pricingOn(pricings, '2025-01-01')?.id).toBe('2025');
    expect(pricingOn(pricings, '2025-12-31')?.id).toBe('2025');
    expect(pricingOn(pricings, '2024-06-15')?.id).toBe('2024');
    expect(pricingOn(pricings, '2031-03-03')?.id).toBe('2026+');
  });

  test('when no active window covers the day, then there is no active pricing', () => {
    expect(pricingOn(pricings, '2023-12-31')).toBeNull();
    expect(pricingOn([p('off', '2025-01-01', null, false)], '2025-05-05')).toBeNull();
  });

  test('when overlapping active windows exist anyway, then the latest start wins', () => {
    expect(
      pricingOn(
        [p('wide', '2025-01-01', null), p('narrow', '2025-03-01', '2025-03-31')],
        '2025-03-15',
      )?.id,
    ).toBe('narrow');
  });

  test('when today is asked for, then it is the UTC calendar day', () => {
    expect(todayUtc(new Date('2025-03-01T23:30:00-05:00'))).toBe('2025-03-02');
  });
});
