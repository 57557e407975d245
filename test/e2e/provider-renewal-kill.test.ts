import request from 'supertest';
import { MongoClient } from 'mongodb';
import { eventually, MONGO_URL } from '../support/infra';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(600_000);

/** Issue 18: 1,000 subscriptions; RENEWAL_KILL_SUBSCRIPTIONS sets another size. */
const SUBSCRIPTIONS = Number(process.env.RENEWAL_KILL_SUBSCRIPTIONS ?? 1000);
const DAY = 86_400_000;

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let mongo: MongoClient;

beforeAll(async () => {
  platform = await startTestPlatform('renewal-kill', { basePort: 9500, gatewayPort: 9580 });
  api = request(platform.gatewayUrl);
  mongo = await MongoClient.connect(MONGO_URL);
});

afterAll(async () => {
  await mongo?.close();
  await platform?.stop();
});

describe("providers' renewal sweep", () => {
  it(`when the tenants service is killed (SIGKILL) midway through renewing ${SUBSCRIPTIONS} subscriptions and restarted, then each is renewed and invoiced exactly once for the period`, async () => {
    const shop = await providers.provider(api, 'rkshop');
    const plan = await providers.createPlan(
      api,
      shop.token,
      shop.slug,
      providers.feePlan('basic', '12.00'),
    );
    const tenants = mongo.db(`${platform.dbPrefix}_tenants`);
    const billing = mongo.db(`${platform.dbPrefix}_billing`);
    const subscriptions = tenants.collection<{ _id: string } & Record<string, unknown>>(
      'subscriptions',
    );

    // The set-up writes the subscriptions as a grant stores them (one granted through the API is
    // the model), started 35 days ago so one period end is due; 1,000 grants through the gateway
    // would let the sweep start before the set-up ends.
    const started = new Date(Date.now() - 35 * DAY);
    const model = await providers.grant(api, shop.token, shop.slug, plan.code, {
      organization: { slug: (await providers.provider(api, 'rkorg')).slug },
      starts_at: new Date(Date.now() - DAY).toISOString(),
    });
    expect(model.status).toBe(201);
    const stored = await subscriptions.findOne({ _id: model.body.data.id });
    const periodEnd = new Date(started);
    periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1);
    const ids = Array.from({ length: SUBSCRIPTIONS }, (_, i) => `sub_kill_${i}`);
    await subscriptions.insertMany(
      ids.map((id, i) => ({
        ...stored,
        _id: id,
        subscriber: { kind: 'customer', customer_id: `cus_kill_${i}` },
        live_key: `${plan.id}:cus:cus_kill_${i}`,
        started_at: started,
        current_period_start: started,
        current_period_end: periodEnd,
        _outbox: [],
        _outbox_pending: false,
      })),
    );

    // the sweep renews them one write each; kill tenants with about a quarter done
    const renewed = () =>
      subscriptions.countDocuments({ _id: { $in: ids }, current_period_start: periodEnd });
    const beforeCrash = await eventually(renewed, (n) => n >= SUBSCRIPTIONS / 4, 120_000, 50);
    expect(beforeCrash).toBeLessThan(SUBSCRIPTIONS);
    await platform.stopOne('tenants', 'SIGKILL');
    platform.startOne('tenants');

    await eventually(renewed, (n) => n === SUBSCRIPTIONS, 300_000, 500);
    // every subscription moved exactly one period: none renewed twice
    const nextEnd = new Date(periodEnd);
    nextEnd.setUTCMonth(nextEnd.getUTCMonth() + 1);
    expect(
      await subscriptions.countDocuments({
        _id: { $in: ids },
        current_period_start: periodEnd,
        current_period_end: nextEnd,
        status: 'active',
      }),
    ).toBe(SUBSCRIPTIONS);

    // billing made exactly one renewal invoice per subscription (12.00, issued on the boundary)
    const invoices = billing.collection('invoices');
    const renewalInvoices = () =>
      invoices.countDocuments({
        tenant_id: shop.tenantId,
        customer_id: { $regex: '^cus_kill_' },
      });
    await eventually(renewalInvoices, (n) => n >= SUBSCRIPTIONS, 300_000, 500);
    const rows = await invoices
      .find(
        { tenant_id: shop.tenantId, customer_id: { $regex: '^cus_kill_' } },
        { projection: { customer_id: 1, total_minor: 1, issue_date: 1 } },
      )
      .toArray();
    expect(rows).toHaveLength(SUBSCRIPTIONS);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(SUBSCRIPTIONS);
    expect(new Set(rows.map((r) => `${r.total_minor} ${r.issue_date}`))).toEqual(
      new Set([`1200 ${periodEnd.toISOString().slice(0, 10)}`]),
    );
  });
});
