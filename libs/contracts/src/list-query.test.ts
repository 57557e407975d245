import { listParams, listQuerySchema, periodWindow, toListQuery } from './list-query';

describe('list query', () => {
  test('when nothing is given, then page 1 of 25 with no filters', () => {
    expect(listQuerySchema.parse({})).toEqual({
      page: 1,
      perPage: 25,
      search: undefined,
      searchFields: undefined,
      sort: [],
      startDate: undefined,
      endDate: undefined,
      period: undefined,
      filters: {},
    });
  });

  test("when seed 001's spelling is used, then it means the same as seed 002's", () => {
    const a = listQuerySchema.parse({
      q: 'acme',
      q_f: 'name,email',
      o: '-created_at',
      start_at: '2025-01-01',
      ends_at: '2025-01-31',
    });
    const b = listQuerySchema.parse({
      search: 'acme',
      ordering: '-created_at',
      start_date: '2025-01-01',
      end_date: '2025-01-31',
    });
    expect(a.search).toBe('acme');
    expect(a.searchFields).toEqual(['name', 'email']);
    expect(a.sort).toEqual([{ field: 'created_at', direction: -1 }]);
    expect({ ...a, searchFields: undefined }).toEqual(b);
    expect(b.startDate?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(b.endDate?.toISOString()).toBe('2025-01-31T23:59:59.999Z');
  });

  test('when other parameters are given, then they are kept as filters', () => {
    const q = listQuerySchema.parse({
      customer_id: 'cus_1',
      status: 'paid',
      page: '3',
      per_page: '100',
      ordering: 'name,-created_at',
    });
    expect(q.filters).toEqual({ customer_id: 'cus_1', status: 'paid' });
    expect(q.page).toBe(3);
    expect(q.perPage).toBe(100);
    expect(q.sort).toEqual([
      { field: 'name', direction: 1 },
      { field: 'created_at', direction: -1 },
    ]);
  });

  test('when page, per_page, dates or period are out of range, then parsing fails', () => {
    for (const bad of [
      { per_page: '101' },
      { per_page: '0' },
      { page: 'x' },
      { page: '-1' },
      { start_date: 'yesterday' },
      { period: 'daily' },
      { end_date: '2025-02-30x' },
    ]) {
      expect(listQuerySchema.safeParse(bad).success).toBe(false);
    }
  });

  test('when a period is asked for, then its window is the current month or ISO week', () => {
    const now = new Date('2025-01-15T12:00:00Z'); // a Wednesday
    expect(periodWindow('monthly', now)).toEqual({
      start: new Date('2025-01-01T00:00:00.000Z'),
      end: new Date('2025-01-31T23:59:59.999Z'),
    });
    expect(periodWindow('weekly', now)).toEqual({
      start: new Date('2025-01-13T00:00:00.000Z'),
      end: new Date('2025-01-19T23:59:59.999Z'),
    });
  });

  test('when period is sent alone, then it gives the window; with a date, then the dates win', () => {
    const now = new Date('2026-12-16T10:00:00Z');
    const parse = (q: Record<string, string>) => toListQuery(listParams().parse(q), now);
    expect(parse({ period: 'monthly' })).toMatchObject({
      startDate: new Date('2026-12-01T00:00:00.000Z'),
      endDate: new Date('2026-12-31T23:59:59.999Z'),
      period: 'monthly',
    });
    expect(parse({ period: 'weekly' })).toMatchObject({
      startDate: new Date('2026-12-14T00:00:00.000Z'),
      endDate: new Date('2026-12-20T23:59:59.999Z'),
    });
    const both = parse({ period: 'monthly', start_date: '2026-11-03' });
    expect(both.startDate).toEqual(new Date('2026-11-03T00:00:00.000Z'));
    expect(both.endDate).toBeUndefined();
    expect(parse({ period: 'weekly', end_date: '2026-11-05' }).endDate).toEqual(
      new Date('2026-11-05T23:59:59.999Z'),
    );
  });
});
