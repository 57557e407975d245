import { usageReport } from './usage';
import { addCycle, duePeriods, nextInvoiceAt } from './subscription';

describe('usage report', () => {
  test("when seed 003's figures are reported, then percentages have one decimal", () => {
    expect(
      usageReport(
        { customers: 24, invoices: 89, projects: 5, staff: 3, tasks: 67 },
        { customers: 500, invoices: 1000, projects: 50, staff: 10, tasks: 500 },
      ),
    ).toEqual({
      customers: { used: 24, limit: 500, percentage: 4.8 },
      invoices: { used: 89, limit: 1000, percentage: 8.9 },
      projects: { used: 5, limit: 50, percentage: 10 },
      staff: { used: 3, limit: 10, percentage: 30 },
      tasks: { used: 67, limit: 500, percentage: 13.4 },
    });
  });

  test('when a metric has no limit, a zero limit or a negative count, then the report stays sensible', () => {
    expect(usageReport({ widgets: 3, customers: -2 }, { customers: 0, estimates: 200 })).toEqual({
      customers: { used: 0, limit: 0, percentage: 0 },
      estimates: { used: 0, limit: 200, percentage: 0 },
      widgets: { used: 3, limit: null, percentage: null },
    });
    expect(usageReport({ customers: 1 }, { customers: 0 }).customers).toEqual({
      used: 1,
      limit: 0,
      percentage: 100,
    });
    expect(usageReport({ customers: 2 }, { customers: 3 }).customers?.percentage).toBe(66.7);
  });
});

describe('billing cycles', () => {
  test('when a cycle is added, then month ends clamp and years keep the day', () => {
    expect(addCycle(new Date('2024-01-15T10:30:00Z'), 'monthly').toISOString()).toBe(
      '2024-02-15T10:30:00.000Z',
    );
    expect(addCycle(new Date('2024-01-31T00:00:00Z'), 'monthly').toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    expect(addCycle(new Date('2023-01-31T00:00:00Z'), 'monthly').toISOString()).toBe(
      '2023-02-28T00:00:00.000Z',
    );
    expect(addCycle(new Date('2024-02-29T12:00:00Z'), 'yearly').toISOString()).toBe(
      '2025-02-28T12:00:00.000Z',
    );
  });

  test('when asking for the next invoice, then it is the first boundary after now', () => {
    const started = new Date('2024-01-15T10:30:00Z');
    expect(nextInvoiceAt(started, 'monthly', new Date('2024-01-20T00:00:00Z')).toISOString()).toBe(
      '2024-02-15T10:30:00.000Z',
    );
    expect(nextInvoiceAt(started, 'monthly', new Date('2024-03-15T10:30:00Z')).toISOString()).toBe(
      '2024-04-15T10:30:00.000Z',
    );
    expect(nextInvoiceAt(started, 'yearly', new Date('2024-06-01T00:00:00Z')).toISOString()).toBe(
      '2025-01-15T10:30:00.000Z',
    );
  });
});

describe('renewals', () => {
  test('when periods have ended, then each is renewed once, in order, anchored to the start day', () => {
    const anchor = new Date('2024-01-31T00:00:00Z');
    const periods = duePeriods(
      anchor,
      'monthly',
      new Date('2024-02-29T00:00:00Z'),
      new Date('2024-04-30T00:00:00Z'),
    );
    expect(periods.map((p) => [p.start.toISOString(), p.end.toISOString()])).toEqual([
      ['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z'],
      ['2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z'],
      ['2024-04-30T00:00:00.000Z', '2024-05-31T00:00:00.000Z'],
    ]);
    expect(
      duePeriods(
        anchor,
        'monthly',
        new Date('2024-05-31T00:00:00Z'),
        new Date('2024-05-30T00:00:00Z'),
      ),
    ).toEqual([]);
    expect(
      duePeriods(
        new Date('2024-02-29T12:00:00Z'),
        'yearly',
        new Date('2025-02-28T12:00:00Z'),
        new Date('2025-03-01T00:00:00Z'),
      ).map((p) => p.end.toISOString()),
    ).toEqual(['2026-02-28T12:00:00.000Z']);
  });
});
