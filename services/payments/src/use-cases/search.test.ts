import { PAYMENT_ROUTES, toListQuery } from '@ledgerline/contracts';
import type { CustomerNameStore } from '../store/customer-names';
import { paymentFilter } from './search';

/** A query as the list spec parses it, then toListQuery (what the routes hand paymentFilter). */
const parsed = (params: Record<string, string>, now: Date) =>
  toListQuery(PAYMENT_ROUTES.history.query.parse(params), now);

// no search in these queries: the customers projection is never asked
const deps = { customerNames: {} as CustomerNameStore };
const now = new Date('2026-12-06T04:00:00Z');

describe('a payment list filter from its spec query', () => {
  test('when both dates and a period are sent, then the dates are the window', async () => {
    const query = parsed(
      { start_date: '2025-01-01', end_date: '2025-01-21', period: 'monthly' },
      now,
    );
    expect(await paymentFilter(deps, 'ten_1', query)).toMatchObject({
      start_date: '2025-01-01',
      end_date: '2025-01-21',
    });
  });

  test('when only a period is sent, then it is the window containing now', async () => {
    const query = parsed({ period: 'weekly' }, now);
    expect(await paymentFilter(deps, 'ten_1', query)).toMatchObject({
      start_date: '2026-11-30',
      end_date: '2026-12-06',
    });
  });

  test("when the method is seed 002's name and a customer's path names the customer, then the stored code and the path's customer are filtered", async () => {
    const query = parsed(
      { payment_method: 'Bank Transfer', customer_id: 'cus_other', status: 'completed' },
      now,
    );
    expect(await paymentFilter(deps, 'ten_1', query, 'cus_1')).toEqual({
      customer_id: 'cus_1',
      invoice_id: undefined,
      status: 'completed',
      payment_method: 'bank',
      start_date: undefined,
      end_date: undefined,
      mastersOnly: true,
      search: undefined,
    });
  });
});
