import request from 'supertest';
import { bearer } from '../support/accounts';
import { createCustomer } from '../support/customers';
import { eventually } from '../support/infra';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

// late events may come 20 s after their period; the renewal waits that and 2 s more
beforeAll(async () => {
  platform = await startTestPlatform('usginv', {
    basePort: 8900,
    gatewayPort: 8980,
    envFor: { tenants: { USAGE_LATENESS_SECONDS: '20', USAGE_SETTLE_SECONDS: '2' } },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const MILLION = 1_000_000n;
/** "12.345" GB -> 12345000n millionths; the events carry up to 3 decimals. */
const micros = (gb: string) => {
  const [whole, fraction = ''] = gb.split('.');
  return BigInt(whole!) * MILLION + BigInt(fraction.padEnd(6, '0'));
};

/**
 * The graduated price written out independently: 0.05 USD a GB up to 1,000 GB, 0.02 above, in
 * rationals of millionths of a GB and cents, rounded half away from zero once.
 */
function graduatedCents(totalMicros: bigint): number {
  const bound = 1000n * MILLION;
  const first = totalMicros < bound ? totalMicros : bound;
  const rest = totalMicros > bound ? totalMicros - bound : 0n;
  // cents x 10^6: 5 cents a GB on the first slice, 2 on the rest
  const scaled = first * 5n + rest * 2n;
  return Number((scaled * 2n + MILLION) / (2n * MILLION));
}

const post = (token: string, events: object[]) =>
  api.post('/api/usage/events').set(bearer(token)).send({ events });

describe('metered usage invoiced at the period end', () => {
  test('when a customer subscribed a month ago sends 10,000 events with 500 repeats and 100 late ones, then the period end issues exactly one invoice whose lines equal an independent recomputation', async () => {
    const shop = await providers.provider(api, 'uishop');
    await providers.createStorageMetric(api, shop.token, shop.slug);
    const cloud = providers.feePlan('cloud', '10.00', '2.00');
    await providers.createPlan(api, shop.token, shop.slug, {
      ...cloud,
      charges: [
        ...(cloud.charges as object[]),
        {
          kind: 'usage',
          code: 'gb',
          name: 'Storage',
          metric: 'storage',
          model: 'graduated',
          tiers: [
            { up_to: '1000', unit_price: '0.05' },
            { up_to: null, unit_price: '0.02' },
          ],
        },
      ],
    });
    const customer = await createCustomer(api, shop.token, 'Metered Customer', 'USD');
    // its first month ends about 40 s from now (time to report 9,900 events before it)
    const start = new Date(Date.now() + 40_000);
    start.setUTCMonth(start.getUTCMonth() - 1);
    const granted = await eventually(
      () =>
        providers.grant(api, shop.token, shop.slug, 'cloud', {
          customer: { id: customer },
          seats: 3,
          starts_at: start.toISOString(),
        }),
      (r) => r.status !== 404,
    );
    expect([granted.status, granted.body.error]).toEqual([201, undefined]);
    const sub = granted.body.data;
    const periodEnd = Date.parse(sub.current_period_end);

    // 9,400 distinct events and 500 repeats (other values: the first counts) before the end
    const values = new Map<string, string>();
    const onTime: { transaction_id: string; gb: string }[] = [];
    for (let i = 0; i < 9400; i++) {
      const gb = `${(i * 7919) % 97}.${String((i * 31) % 1000).padStart(3, '0')}`;
      values.set(`tx-${i}`, gb);
      onTime.push({ transaction_id: `tx-${i}`, gb });
    }
    for (let i = 0; i < 500; i++) onTime.push({ transaction_id: `tx-${i * 17}`, gb: '999.999' });
    for (let i = 0; i < onTime.length; i += 100) {
      const batch = onTime.slice(i, i + 100).map((e) => ({
        transaction_id: e.transaction_id,
        subscription_id: sub.id,
        metric: 'storage',
        properties: { gb: e.gb },
      }));
      const res = await post(shop.token, batch);
      expect([res.status, res.body.error]).toEqual([202, undefined]);
    }
    expect(Date.now()).toBeLessThan(periodEnd);

    // 100 late events, timestamped before the end, reported after it (within the lateness)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, periodEnd - Date.now() + 500)));
    const late = Array.from({ length: 100 }, (_, i) => {
      const gb = `${i}.5`;
      values.set(`late-${i}`, gb);
      return {
        transaction_id: `late-${i}`,
        subscription_id: sub.id,
        metric: 'storage',
        timestamp: new Date(periodEnd - 1000).toISOString(),
        properties: { gb },
      };
    });
    const lateRes = await post(shop.token, late);
    expect([lateRes.status, lateRes.body.error]).toEqual([202, undefined]);

    const total = [...values.values()].reduce((sum, gb) => sum + micros(gb), 0n);
    const usageCents = graduatedCents(total);
    const invoices = await eventually(
      async () =>
        (
          await api
            .get('/api/bills/invoices/?per_page=100&ordering=issue_date')
            .set(bearer(shop.token))
        ).body.data.results as {
          customer_id: string;
          total_bill_amount: string;
          details: { sub_total: string; remarks: string }[];
        }[],
      (rows) => rows.filter((r) => r.customer_id === customer).length >= 2,
      90_000,
      500,
    );
    const mine = invoices.filter((r) => r.customer_id === customer);
    // the start (10.00 + 3 x 2.00 in advance) and the renewal: usage in arrears, fees in advance
    expect(mine).toHaveLength(2);
    const renewal = mine[1]!;
    expect(renewal.details.map((d) => d.sub_total)).toEqual([
      (usageCents / 100).toFixed(2),
      '10.00',
      '6.00',
    ]);
    expect(renewal.total_bill_amount).toBe(((usageCents + 1600) / 100).toFixed(2));
    const gbText = `${total / MILLION}.${String(total % MILLION).padStart(6, '0')}`.replace(
      /\.?0+$/,
      '',
    );
    expect(renewal.details[0]!.remarks).toMatch(
      new RegExp(`^Storage: ${gbText.replace('.', '\\.')}, `),
    );

    // exactly one: the sweep keeps running
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const again = (
      await api.get('/api/bills/invoices/?per_page=100').set(bearer(shop.token))
    ).body.data.results.filter((r: { customer_id: string }) => r.customer_id === customer);
    expect(again).toHaveLength(2);
  });
});
