import request from 'supertest';
import { bearer, newTeamMember } from '../support/accounts';
import { createCustomer } from '../support/customers';
import { eventually } from '../support/infra';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(120_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('rrun', {
    basePort: 31000,
    gatewayPort: 31180,
    env: {
      // the sweep stays away (its first run would be in an hour): what is renewed here, the run does
      SUBSCRIPTION_SWEEP_MS: '3600000',
      // several pages per run (a crashed run's take-over: renewal-run-worker.int.test.ts)
      RENEWAL_RUN_PAGE_SIZE: '10',
    },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const DAY = 86_400_000;
const SUBSCRIPTIONS = 30;

type Provider = Awaited<ReturnType<typeof providers.provider>>;

/**
 * A provider with `count` customers subscribed 40 days ago to a 12.00 monthly plan: each was
 * invoiced its first month at the grant, and its first period ended about 10 days ago (due).
 */
async function providerWithDueSubscriptions(label: string, count: number) {
  const shop = await providers.provider(api, label);
  const plan = await providers.createPlan(
    api,
    shop.token,
    shop.slug,
    providers.feePlan('basic', '12.00'),
  );
  const startsAt = new Date(Date.now() - 40 * DAY).toISOString();
  const granted: { id: string; customer: string; periodEnd: string }[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await createCustomer(api, shop.token, `${label} customer ${i}`, 'USD');
    const res = await eventually(
      () =>
        providers.grant(api, shop.token, shop.slug, plan.code, {
          customer: { id: customer },
          starts_at: startsAt,
        }),
      (r) => r.status !== 404,
    );
    expect([res.status, res.body.error]).toEqual([201, undefined]);
    granted.push({ id: res.body.data.id, customer, periodEnd: res.body.data.current_period_end });
  }
  return { shop, plan, granted };
}

const runsPath = (shop: Provider) => `/api/profile/${shop.slug}/renewal-runs`;

async function finishedRun(shop: Provider, id: string) {
  const res = await eventually(
    () => api.get(`${runsPath(shop)}/${id}`).set(bearer(shop.token)),
    (r) => /^completed/.test(String(r.body.data?.status)),
    60_000,
    200,
  );
  return res.body.data;
}

interface InvoiceRow {
  customer_id: string;
  total_bill_amount: string;
  issue_date: string;
}

/** The provider's invoices, once there are at least `atLeast` of them. */
async function invoices(shop: Provider, atLeast: number) {
  return eventually(
    async () =>
      (await api.get('/api/bills/invoices/?per_page=100').set(bearer(shop.token))).body.data
        .results as InvoiceRow[],
    (rows) => rows.length >= atLeast,
    30_000,
    200,
  );
}

/** Each subscriber invoiced exactly twice: its first month at the grant, its renewal at the period end. */
async function expectEachInvoicedOncePerPeriod(
  shop: Provider,
  granted: { customer: string; periodEnd: string }[],
) {
  await invoices(shop, 2 * granted.length);
  // the worker and billing keep running: nothing more arrives
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const rows = await invoices(shop, 2 * granted.length);
  expect(rows).toHaveLength(2 * granted.length);
  const renewals = rows.filter((r) =>
    granted.some((g) => g.customer === r.customer_id && g.periodEnd.startsWith(r.issue_date)),
  );
  expect(renewals).toHaveLength(granted.length);
  expect(new Set(renewals.map((r) => r.customer_id)).size).toBe(granted.length);
  expect(new Set(renewals.map((r) => r.total_bill_amount))).toEqual(new Set(['12.00']));
}

describe("a provider's renewal runs", () => {
  test(`when a provider with ${SUBSCRIPTIONS} due subscriptions starts a run, then it renews each once, exactly ${SUBSCRIPTIONS} renewal invoices are issued, and a second run finds nothing due`, async () => {
    const { shop, granted } = await providerWithDueSubscriptions('rrshop', SUBSCRIPTIONS);
    await invoices(shop, SUBSCRIPTIONS); // the grants' first months

    const started = await api.post(runsPath(shop)).set(bearer(shop.token)).send({});
    expect([started.status, started.body.error]).toEqual([202, undefined]);
    expect(started.body.data).toMatchObject({
      status: 'queued',
      subscriptions_done: 0,
      due: 0,
      renewed: 0,
      failed: 0,
      errors: [],
      completed_at: null,
      created_by: shop.userId,
    });
    // the cutoff is the sweep's rule: now less USAGE_LATENESS_SECONDS + USAGE_SETTLE_SECONDS
    const cutoff = Date.parse(started.body.data.cutoff);
    const created = Date.parse(started.body.data.created_at);
    expect(created - cutoff).toBeGreaterThanOrEqual((3600 + 60) * 1000 - 50);
    expect(created - cutoff).toBeLessThanOrEqual((3600 + 60) * 1000 + 1000);

    const run = await finishedRun(shop, started.body.data.id);
    expect(run).toMatchObject({
      id: started.body.data.id,
      status: 'completed',
      subscriptions_done: SUBSCRIPTIONS,
      due: SUBSCRIPTIONS,
      renewed: SUBSCRIPTIONS,
      failed: 0,
      errors: [],
    });
    expect(Date.parse(run.completed_at)).toBeGreaterThanOrEqual(Date.parse(run.started_at));
    await expectEachInvoicedOncePerPeriod(shop, granted);

    // every subscription is in its second period now: a new run renews nothing
    const again = await api.post(runsPath(shop)).set(bearer(shop.token));
    expect([again.status, again.body.error]).toEqual([202, undefined]);
    expect(await finishedRun(shop, again.body.data.id)).toMatchObject({
      status: 'completed',
      subscriptions_done: SUBSCRIPTIONS,
      due: 0,
      renewed: 0,
    });
    const list = await api.get(`${runsPath(shop)}?per_page=1`).set(bearer(shop.token));
    expect([list.status, list.body.error]).toEqual([200, undefined]);
    expect(list.body.data).toMatchObject({ count: 2, page: 1, per_page: 1 });
    expect(list.body.data.results.map((r: { id: string }) => r.id)).toEqual([again.body.data.id]);
    await expectEachInvoicedOncePerPeriod(shop, granted);
  });

  test('when a run is started twice at once, then one is queued (202) and the other is refused (409 run_in_progress) naming it', async () => {
    const { shop } = await providerWithDueSubscriptions('rrtwice', 3);
    const [a, b] = await Promise.all(
      [0, 1].map(() => api.post(runsPath(shop)).set(bearer(shop.token)).send({})),
    );
    const answers = [a!, b!].sort((x, y) => x.status - y.status);
    expect(answers.map((r) => r.status)).toEqual([202, 409]);
    const [accepted, refused] = answers as [typeof a, typeof a];
    expect(refused!.body).toMatchObject({
      success: false,
      code: 409,
      type: 'conflict',
      reason: 'run_in_progress',
      details: [expect.objectContaining({ run_id: accepted!.body.data.id })],
    });
    expect(refused!.body.error).toContain(accepted!.body.data.id);
    expect(await finishedRun(shop, accepted!.body.data.id)).toMatchObject({ due: 3, renewed: 3 });
    const list = await api.get(runsPath(shop)).set(bearer(shop.token));
    expect(list.body.data.count).toBe(1);
  });

  test('when another tenant or a member without a manager role asks, then the run does not exist for the one (404) and cannot be started by the other (403)', async () => {
    const shop = await providers.provider(api, 'rrown');
    const started = await api.post(runsPath(shop)).set(bearer(shop.token));
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;

    const other = await providers.provider(api, 'rrother');
    for (const res of [
      await api.get(`${runsPath(shop)}/${id}`).set(bearer(other.token)),
      await api.get(runsPath(shop)).set(bearer(other.token)),
      await api.post(runsPath(shop)).set(bearer(other.token)).send({}),
      // the run's id under the other tenant's own provider
      await api.get(`${runsPath(other)}/${id}`).set(bearer(other.token)),
    ])
      expect([res.status, res.body.type]).toEqual([404, 'not_found']);

    const member = await newTeamMember(api, shop, 'member', 'rrmember');
    const refused = await api.post(runsPath(shop)).set(bearer(member.token)).send({});
    expect([refused.status, refused.body.type]).toEqual([403, 'forbidden']);
    // members read the provider's runs (plans:read)
    const read = await api.get(`${runsPath(shop)}/${id}`).set(bearer(member.token));
    expect([read.status, read.body.data?.id]).toEqual([200, id]);
  });

  test('when the request is malformed, then it is refused with a 4xx and no run is made', async () => {
    const shop = await providers.provider(api, 'rrbad');
    const unknownField = await api
      .post(runsPath(shop))
      .set(bearer(shop.token))
      .send({ cutoff: '2020-01-01T00:00:00Z' });
    expect([unknownField.status, unknownField.body.type]).toEqual([422, 'validation_error']);
    const notAnObject = await api.post(runsPath(shop)).set(bearer(shop.token)).send([1]);
    expect(notAnObject.status).toBe(400);
    for (const id of ['not-a-run', 'rrun_', 'rrun_AAAAAAAAAAAAAAAA', 'x'.repeat(200)]) {
      const res = await api
        .get(`${runsPath(shop)}/${encodeURIComponent(id)}`)
        .set(bearer(shop.token));
      expect([id, res.status]).toEqual([id, 404]);
    }
    const list = await api.get(`${runsPath(shop)}?per_page=500`).set(bearer(shop.token));
    expect(list.status).toBe(422);
    const none = await api.get(runsPath(shop)).set(bearer(shop.token));
    expect(none.body.data).toMatchObject({ results: [], count: 0 });
  });
});
