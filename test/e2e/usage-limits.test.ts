import request from 'supertest';
import { bearer } from '../support/accounts';
import { eventually, uniqueId } from '../support/infra';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('ulim', { basePort: 9600, gatewayPort: 9680 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const ingest = (token: string, events: object[]) =>
  api.post('/api/usage/events').set(bearer(token)).send({ events });

interface Reading {
  usage: { metric: string; quantity: string; events: number }[];
  limits: { metric: string; limit: string; used: string; remaining: string; mode: string }[];
  spend: { limit: string; used: string; remaining: string; mode: string } | null;
}
const reading = async (token: string, id: string): Promise<Reading> => {
  const res = await api.get(`/api/usage/subscriptions/${id}`).set(bearer(token));
  expect([res.status, res.body.error]).toEqual([200, undefined]);
  return res.body.data as Reading;
};

/** Storage (a sum of `gb`) at 0.10 USD a GB. */
const STORAGE_CHARGE = {
  kind: 'usage',
  code: 'gb',
  name: 'Storage',
  metric: 'storage',
  model: 'per_unit',
  unit_price: '0.10',
};

/** A provider whose plan charges storage (sum of gb) per GB, limited to `limit` GB a period. */
async function limitedProvider(
  label: string,
  limit: number | null,
  mode?: 'reject' | 'flag',
  grant: Record<string, unknown> = {},
) {
  const p = await providers.provider(api, label);
  await providers.createStorageMetric(api, p.token, p.slug);
  await providers.createPlan(api, p.token, p.slug, {
    code: 'capped',
    name: 'Capped',
    currency: 'USD',
    interval: 'month',
    limits: limit === null ? {} : { storage: limit, projects: 3 },
    ...(mode && { limit_mode: mode }),
    charges: [STORAGE_CHARGE],
  });
  const org = await providers.provider(api, `${label}sub`);
  const sub = await providers.grant(api, p.token, p.slug, 'capped', {
    organization: { slug: org.slug },
    ...grant,
  });
  expect([sub.status, sub.body.error]).toEqual([201, undefined]);
  return { p, org, subscriptionId: sub.body.data.id as string };
}

const storage = (tx: string, slug: string, gb: string) => ({
  transaction_id: tx,
  subscriber: slug,
  metric: 'storage',
  properties: { gb },
});

describe('plan limits on metered usage, decided at ingestion', () => {
  test('when ten requests of 15 GB race a 100 GB limit, then exactly six are accepted, the others refused with 403 and nothing of theirs counted', async () => {
    const { p, org, subscriptionId } = await limitedProvider('cap', 100);
    const run = uniqueId('tx');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ingest(p.token, [
          storage(`${run}-${i}-a`, org.slug, '10'),
          storage(`${run}-${i}-b`, org.slug, '5'),
        ]),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 403, 403, 403, 403]);
    const refused = answers.find((a) => a.status === 403)!;
    expect(refused.body.type).toBe('plan_limit_reached');
    expect(refused.body.details[0]).toMatchObject({
      field: 'events',
      subscription_id: subscriptionId,
      metric: 'storage',
      limit: '100',
      used: '90',
      requested: '105',
    });
    // the allowance reads back at once; the counted usage follows within the consumer's lag
    expect((await reading(p.token, subscriptionId)).limits).toEqual([
      { metric: 'storage', limit: '100', used: '90', remaining: '10', mode: 'reject' },
    ]);
    const counted = await eventually(
      () => reading(p.token, subscriptionId),
      (r) => r.usage[0]?.events === 12,
      30_000,
    );
    expect(counted.usage[0]).toMatchObject({ metric: 'storage', quantity: '90', events: 12 });

    // exactly up to the limit passes; one millionth more does not
    const last = await ingest(p.token, [storage(`${run}-last`, org.slug, '10')]);
    expect([last.status, last.body.data]).toEqual([202, { accepted: 1, over_limit: [] }]);
    const over = await ingest(p.token, [storage(`${run}-over`, org.slug, '0.000001')]);
    expect(over.status).toBe(403);
    expect((await reading(p.token, subscriptionId)).limits[0]).toMatchObject({
      used: '100',
      remaining: '0',
    });
  });

  test('when counted events are sent again, then they take nothing of the allowance', async () => {
    const { p, org, subscriptionId } = await limitedProvider('capdup', 20);
    const run = uniqueId('tx');
    const batch = [storage(`${run}-1`, org.slug, '8'), storage(`${run}-2`, org.slug, '8')];
    expect((await ingest(p.token, batch)).status).toBe(202);
    await eventually(
      () => reading(p.token, subscriptionId),
      (r) => r.usage[0]?.events === 2,
      30_000,
    );
    // a client retrying the whole batch: already counted, so within the 20 GB
    const again = await ingest(p.token, batch);
    expect([again.status, again.body.type]).toEqual([202, undefined]);
    expect((await reading(p.token, subscriptionId)).limits[0]).toMatchObject({
      used: '16',
      remaining: '4',
    });
  });

  test('when the plan flags instead of rejecting, then usage past the limit is stored, counted and named in the answer', async () => {
    const { p, org, subscriptionId } = await limitedProvider('capflag', 10, 'flag');
    const run = uniqueId('tx');
    const first = await ingest(p.token, [storage(`${run}-1`, org.slug, '7')]);
    expect(first.body.data).toEqual({ accepted: 1, over_limit: [] });
    const second = await ingest(p.token, [storage(`${run}-2`, org.slug, '7')]);
    expect([second.status, second.body.data]).toEqual([
      202,
      {
        accepted: 1,
        over_limit: [
          {
            subscription_id: subscriptionId,
            metric: 'storage',
            limit: '10',
            used: '7',
            requested: '14',
          },
        ],
      },
    ]);
    const counted = await eventually(
      () => reading(p.token, subscriptionId),
      (r) => r.usage[0]?.events === 2,
      30_000,
    );
    expect(counted.usage[0]!.quantity).toBe('14');
    expect(counted.limits).toEqual([
      { metric: 'storage', limit: '10', used: '14', remaining: '0', mode: 'flag' },
    ]);
  });

  test('when a plan limits a unique_count metric, then the plan is refused with 422 naming the limit', async () => {
    const p = await providers.provider(api, 'capuniq');
    const metric = await api
      .post(`/api/profile/${p.slug}/billable-metrics`)
      .set(bearer(p.token))
      .send({ code: 'users', name: 'Users', aggregation: 'unique_count', field: 'user' });
    expect(metric.status).toBe(201);
    const res = await api
      .post(`/api/profile/${p.slug}/plans`)
      .set(bearer(p.token))
      .send({
        code: 'seats',
        name: 'Seats',
        currency: 'USD',
        interval: 'month',
        limits: { users: 5 },
        charges: [
          {
            kind: 'usage',
            code: 'users',
            name: 'Users',
            metric: 'users',
            model: 'per_unit',
            unit_price: '1',
          },
        ],
      });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'limits.users' })]);
    const plans = await api.get(`/api/profile/${p.slug}/plans`).set(bearer(p.token));
    expect(plans.body.data.count).toBe(0);
  });

  test('when ten requests of 8 GB race a 5.00 USD spend cap at 0.10 a GB, then exactly six are accepted and the others refused with the spend in money', async () => {
    const { p, org, subscriptionId } = await limitedProvider('spend', null, undefined, {
      spend_limit: '5.00',
    });
    const run = uniqueId('tx');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ingest(p.token, [storage(`${run}-${i}`, org.slug, '8')]),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([
      202, 202, 202, 202, 202, 202, 403, 403, 403, 403,
    ]);
    const refused = answers.find((a) => a.status === 403)!;
    expect(refused.body.type).toBe('plan_limit_reached');
    expect(refused.body.details[0]).toMatchObject({
      subscription_id: subscriptionId,
      metric: 'spend',
      limit: '5.00',
      used: '4.80',
      requested: '5.60',
    });
    expect((await reading(p.token, subscriptionId)).spend).toEqual({
      limit: '5.00',
      used: '4.80',
      remaining: '0.20',
      mode: 'reject',
    });

    // the provider raises the cap: the next 8 GB passes; removing it lifts spend control
    const path = `/api/profile/${p.slug}/plans/capped/subscriptions/${org.slug}`;
    const raised = await api.patch(path).set(bearer(p.token)).send({ spend_limit: '10.00' });
    expect([raised.status, raised.body.data?.spend_limit]).toEqual([200, '10.00']);
    expect((await ingest(p.token, [storage(`${run}-more`, org.slug, '8')])).status).toBe(202);
    expect((await reading(p.token, subscriptionId)).spend).toMatchObject({ used: '5.60' });
    const removed = await api.patch(path).set(bearer(p.token)).send({ spend_limit: null });
    expect([removed.status, removed.body.data?.spend_limit]).toEqual([200, null]);
    expect((await reading(p.token, subscriptionId)).spend).toBeNull();
    expect((await ingest(p.token, [storage(`${run}-big`, org.slug, '500')])).status).toBe(202);

    // a cap with more digits than the currency has is refused and changes nothing
    const bad = await api.patch(path).set(bearer(p.token)).send({ spend_limit: '5.001' });
    expect([bad.status, bad.body.details?.[0]?.field]).toEqual([422, 'spend_limit']);
  });

  test('when a spend cap is set mid-period on a subscription whose plan limits another metric, then usage counted before it is priced too', async () => {
    const p = await providers.provider(api, 'spendmid');
    await providers.createStorageMetric(api, p.token, p.slug);
    const calls = await api
      .post(`/api/profile/${p.slug}/billable-metrics`)
      .set(bearer(p.token))
      .send({ code: 'calls', name: 'Calls', aggregation: 'count' });
    expect(calls.status).toBe(201);
    await providers.createPlan(api, p.token, p.slug, {
      code: 'mixed',
      name: 'Mixed',
      currency: 'USD',
      interval: 'month',
      limits: { storage: 100 },
      charges: [
        STORAGE_CHARGE,
        {
          kind: 'usage',
          code: 'calls',
          name: 'Calls',
          metric: 'calls',
          model: 'per_unit',
          unit_price: '1.00',
        },
      ],
    });
    const org = await providers.provider(api, 'spendmidsub');
    const sub = await providers.grant(api, p.token, p.slug, 'mixed', {
      organization: { slug: org.slug },
    });
    const subscriptionId = sub.body.data.id as string;
    const run = uniqueId('tx');
    const call = (n: number) => ({
      transaction_id: `${run}-c${n}`,
      subscriber: org.slug,
      metric: 'calls',
    });
    // the allowance is born for the storage limit only; the 3 calls (3.00) are counted meanwhile
    const first = await ingest(p.token, [
      storage(`${run}-s`, org.slug, '10'),
      call(1),
      call(2),
      call(3),
    ]);
    expect(first.status).toBe(202);
    await eventually(
      () => reading(p.token, subscriptionId),
      (r) => r.usage.find((u) => u.metric === 'calls')?.events === 3,
      30_000,
    );
    const path = `/api/profile/${p.slug}/plans/mixed/subscriptions/${org.slug}`;
    const capped = await api.patch(path).set(bearer(p.token)).send({ spend_limit: '5.00' });
    expect([capped.status, capped.body.data?.spend_limit]).toEqual([200, '5.00']);
    // 1.00 of storage + 3.00 of calls = 4.00: one call more reaches 5.00, a second passes it
    expect((await ingest(p.token, [call(4)])).status).toBe(202);
    const over = await ingest(p.token, [call(5)]);
    expect([over.status, over.body.details?.[0]]).toEqual([
      403,
      expect.objectContaining({ metric: 'spend', limit: '5.00', used: '5.00', requested: '6.00' }),
    ]);
    expect((await reading(p.token, subscriptionId)).spend).toMatchObject({
      used: '5.00',
      remaining: '0.00',
    });
  });
});
