import request from 'supertest';
import { bearer, newTeamMember, type TestSession } from '../support/accounts';
import { eventually, uniqueId } from '../support/infra';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('usg', { basePort: 8600, gatewayPort: 8680 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

type Provider = TestSession & { slug: string };
const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Storage at 0.50 a GB up to 100 GB, 0.25 a GB above (graduated: each slice at its tier's price). */
const TIERS = [
  { up_to: '100', unit_price: '0.50' },
  { up_to: null, unit_price: '0.25' },
];

/** A provider with the metric `storage` (sum of properties.gb), a plan charging it, a subscriber. */
async function meteredProvider(label: string) {
  const p: Provider = await providers.provider(api, label);
  await providers.createStorageMetric(api, p.token, p.slug);
  await providers.createPlan(api, p.token, p.slug, {
    code: 'metered',
    name: 'Metered',
    currency: 'USD',
    interval: 'month',
    charges: [
      {
        kind: 'usage',
        code: 'gb',
        name: 'Storage',
        metric: 'storage',
        model: 'graduated',
        tiers: TIERS,
      },
    ],
  });
  const org: Provider = await providers.provider(api, `${label}sub`);
  // started two hours ago, so events from 30 minutes ago fall in its (first) period
  const sub = await providers.grant(api, p.token, p.slug, 'metered', {
    organization: { slug: org.slug },
    starts_at: ago(120 * MINUTE),
  });
  expect([sub.status, sub.body.error]).toEqual([201, undefined]);
  return { p, org, subscriptionId: sub.body.data.id as string };
}

const ingest = (token: string, events: object[]) =>
  api.post('/api/usage/events').set(bearer(token)).send({ events });

const reading = async (token: string, id: string) => {
  const res = await api.get(`/api/usage/subscriptions/${id}`).set(bearer(token));
  expect([res.status, res.body.error]).toEqual([200, undefined]);
  return res.body.data as {
    usage: { metric: string; aggregation: string; quantity: string; events: number }[];
    upcoming_invoice: {
      lines: { charge_code: string; quantity: string; amount: string }[];
      total: string;
      currency: string;
    };
  };
};

/** Thousandths of a GB -> "1234.5" (the API's exact decimal, trailing zeros dropped). */
const gbText = (thousandths: bigint) => {
  const whole = thousandths / 1000n;
  const fraction = (thousandths % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
};

/** The graduated price in cents of `thousandths` GB, rounded once, half away from zero. */
function graduatedCents(thousandths: bigint): bigint {
  const first = thousandths < 100_000n ? thousandths : 100_000n;
  const rest = thousandths - first;
  const milliCents = first * 50n + rest * 25n; // cents x 1000
  return (milliCents + 500n) / 1000n;
}
const dollars = (cents: bigint) => `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;

describe('metered usage ingestion', () => {
  test('when 1,000 events arrive in batches of 100 with 50 duplicates and 10 late ones, then each distinct event counts once and the upcoming invoice is the graduated price', async () => {
    const { p, org, subscriptionId } = await meteredProvider('meter');
    const run = uniqueId('tx');
    const sent = new Map<string, bigint>(); // the first value of each transaction id
    const events: object[] = [];
    for (let i = 0; i < 1000; i++) {
      // the last 50 repeat transaction ids of earlier batches, with other values
      const tx = i >= 950 ? `${run}-${(i - 950) * 7}` : `${run}-${i}`;
      const thousandths = BigInt((i % 13) * 1000 + ((i * 7919) % 1000));
      if (!sent.has(tx)) sent.set(tx, thousandths);
      events.push({
        transaction_id: tx,
        subscriber: org.slug,
        metric: 'storage',
        // ten late ones: half an hour ago, still in the current period
        ...(i % 100 === 42 && { timestamp: ago(30 * MINUTE) }),
        properties: { gb: gbText(thousandths), region: 'eu' },
      });
    }
    for (let b = 0; b < 10; b++) {
      const res = await ingest(p.token, events.slice(b * 100, b * 100 + 100));
      expect([res.status, res.body.error, res.body.data]).toEqual([
        202,
        undefined,
        { accepted: 100, over_limit: [] },
      ]);
    }
    const total = [...sent.values()].reduce((a, b) => a + b, 0n);
    expect(sent.size).toBe(950);
    const done = await eventually(
      () => reading(p.token, subscriptionId),
      (r) => r.usage[0]?.events === 950,
      30_000,
    );
    expect(done.usage).toEqual([
      { metric: 'storage', aggregation: 'sum', quantity: gbText(total), events: 950 },
    ]);
    const cents = graduatedCents(total);
    expect(done.upcoming_invoice).toMatchObject({
      currency: 'USD',
      total: dollars(cents),
      lines: [{ charge_code: 'gb', quantity: gbText(total), amount: dollars(cents) }],
    });
    // the subscriber organization's members read it too
    expect(await reading(org.token, subscriptionId)).toEqual(done);

    // the same batches again (a client retrying) change nothing
    expect((await ingest(p.token, events.slice(0, 100))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await reading(p.token, subscriptionId)).toEqual(done);
  });

  test('when a transaction id repeats within one request, then the first event counts', async () => {
    const { p, org, subscriptionId } = await meteredProvider('meterdup');
    const event = (gb: string) => ({
      transaction_id: 'same',
      subscriber: org.slug,
      metric: 'storage',
      properties: { gb },
    });
    expect((await ingest(p.token, [event('1.5'), event('40')])).body.data).toEqual({
      accepted: 2,
      over_limit: [],
    });
    const r = await eventually(
      () => reading(p.token, subscriptionId),
      (x) => x.usage[0]?.events === 1,
    );
    expect(r.usage[0]).toMatchObject({ quantity: '1.5', events: 1 });
    expect(r.upcoming_invoice.total).toBe('0.75');
  });

  test('when a batch holds an invalid event, then all of it is refused with 422 naming events.<i>.<field> and the reading stays the same', async () => {
    const { p, org, subscriptionId } = await meteredProvider('meterbad');
    const loner: Provider = await providers.provider(api, 'meterlone');
    const ok = (tx: string) => ({
      transaction_id: tx,
      subscriber: org.slug,
      metric: 'storage',
      properties: { gb: '2' },
    });
    expect((await ingest(p.token, [ok('first')])).status).toBe(202);
    const before = await eventually(
      () => reading(p.token, subscriptionId),
      (x) => x.usage[0]?.events === 1,
    );
    const other = await meteredProvider('meterother');
    const cases: [object[], string][] = [
      [[ok('a'), { ...ok('b'), metric: 'bandwidth' }], 'events.1.metric'],
      [[ok('a'), { ...ok('b'), properties: { gb: 'lots' } }], 'events.1.properties.gb'],
      [[{ ...ok('a'), properties: {} }], 'events.0.properties.gb'],
      [[ok('a'), { ...ok('b'), subscriber: loner.slug }], 'events.1.subscriber'],
      [[{ ...ok('a'), timestamp: ago(120 * MINUTE) }], 'events.0.timestamp'],
      [
        [{ ...ok('a'), timestamp: new Date(Date.now() + 10 * MINUTE).toISOString() }],
        'events.0.timestamp',
      ],
      [
        [ok('a'), { ...ok('b'), subscriber: undefined, subscription_id: other.subscriptionId }],
        'events.1.subscription_id',
      ],
      [Array.from({ length: 1001 }, (_, i) => ok(`many-${i}`)), 'events'],
      [[{ ...ok('a'), transaction_id: 'x'.repeat(129) }], 'events.0.transaction_id'],
    ];
    for (const [events, field] of cases) {
      const res = await ingest(p.token, events);
      expect([field, res.status, res.body.type]).toEqual([field, 422, 'validation_error']);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    await new Promise((r) => setTimeout(r, 2000));
    expect(await reading(p.token, subscriptionId)).toEqual(before);
  });

  test("when another tenant or a viewer tries, then another provider's subscription is a 404, a viewer's POST a 403, and an API token scoped to usage:create reports usage", async () => {
    const { p, org, subscriptionId } = await meteredProvider('meterguard');
    const stranger: Provider = await providers.provider(api, 'meterstranger');
    const read = await api
      .get(`/api/usage/subscriptions/${subscriptionId}`)
      .set(bearer(stranger.token));
    expect([read.status, read.body.type]).toEqual([404, 'not_found']);
    // the subscriber reads but does not report its own usage to the provider
    const subscriberPost = await ingest(org.token, [
      {
        transaction_id: 't',
        subscription_id: subscriptionId,
        metric: 'storage',
        properties: { gb: '1' },
      },
    ]);
    expect(subscriberPost.status).toBe(422);

    const viewer = await newTeamMember(api, p, 'viewer', 'meterviewer');
    const denied = await ingest(viewer.token, [
      { transaction_id: 't', subscriber: org.slug, metric: 'storage', properties: { gb: '1' } },
    ]);
    expect([denied.status, denied.body.error]).toEqual([
      403,
      'This action requires the usage:create permission',
    ]);
    expect((await reading(viewer.token, subscriptionId)).usage[0]).toMatchObject({
      events: 0,
      quantity: '0',
    });

    // an API token scoped to usage:create reports usage, and may do nothing else
    const scoped = await api
      .post('/api/auth/api-tokens/')
      .set(bearer(p.token))
      .send({ name: 'meter', permissions: ['usage:create'] });
    expect(scoped.status).toBe(201);
    const machine = scoped.body.data.token as string;
    const reported = await ingest(machine, [
      {
        transaction_id: 'by-token',
        subscriber: org.slug,
        metric: 'storage',
        properties: { gb: '3' },
      },
    ]);
    expect([reported.status, reported.body.data]).toEqual([202, { accepted: 1, over_limit: [] }]);
    expect(
      (await api.get(`/api/usage/subscriptions/${subscriptionId}`).set(bearer(machine))).status,
    ).toBe(403);
    await eventually(
      () => reading(p.token, subscriptionId),
      (r) => r.usage[0]?.quantity === '3',
    );
  });
});
