import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer, newTeamMember } from '../support/accounts';
import * as providers from '../support/providers';
import { createCustomer } from '../support/customers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(180_000);

let platform: RunningPlatform & { topicPrefix: string };
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('prv', { basePort: 8500, gatewayPort: 8580 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const provider = (label: string) => providers.provider(api, label);
const createPlan = (token: string, slug: string, body: Record<string, unknown>) =>
  providers.createPlan(api, token, slug, body);
const grant = (token: string, slug: string, plan: string, body: Record<string, unknown>) =>
  providers.grant(api, token, slug, plan, body);
const subscriptionEvents = (id: string, atLeast: number) =>
  providers.subscriptionEvents(platform.topicPrefix, id, atLeast);

const organizations = (res: request.Response) =>
  res.body.data.results.map((r: { organization: { slug: string } | null }) => r.organization?.slug);

describe("seed 001's provider API as written", () => {
  test('when donny of cowork grants the plan premium to xia and cancels it, then the active and churned lists show xia', async () => {
    const json = { 'Content-Type': 'application/json; charset=UTF-8' };
    expect(
      (
        await api.post('/api/auth/register').send({
          username: 'donny',
          password: 'yoyo',
          email: 'donny@example.com',
          full_name: 'Donny',
          type: 'organization',
          organization_name: 'cowork',
        })
      ).status,
    ).toBe(201);
    const reg = await api.post('/api/auth/register').set(json).send(
      // seed 001's registration body, for xia
      '{"username": "xia", "password": "yoyo", "email": "xia@example.com", "full_name": "Xia", "type": "personal"}',
    );
    expect(reg.body.data.tenant).toMatchObject({ slug: 'xia' });
    const donny = (
      await api.post('/api/auth').set(json).send('{"username": "donny", "password": "yoyo"}')
    ).body.token as string;
    await eventually(
      async () => (await api.get('/api/profile/cowork/plans').set(bearer(donny))).status,
      (code) => code === 200,
    );
    const premium = await createPlan(donny, 'cowork', {
      slug: 'premium',
      title: 'Premium',
      period_type: 'monthly',
      unit: 'usd',
      period_amount: 4900,
    });
    expect(premium).toMatchObject({ code: 'premium', version: 1 });

    const granted = await eventually(
      () =>
        api
          .post('/api/profile/cowork/plans/premium/subscriptions')
          .set({ ...bearer(donny), ...json })
          .send('{"organization": {"slug": "xia"}}'),
      (r) => r.status !== 404,
    );
    expect([granted.status, granted.body.error]).toEqual([201, undefined]);
    expect(granted.body.data).toMatchObject({
      organization: { id: reg.body.data.tenant.id, slug: 'xia' },
      plan: { id: premium.id, slug: 'premium', title: 'Premium' },
      provider: 'cowork',
      status: 'active',
      ends_at: null,
      seats: 1,
      plan_version: 1,
      trial_ends_at: null,
      cancel_at_period_end: false,
    });
    const again = await grant(donny, 'cowork', 'premium', { organization: { slug: 'xia' } });
    expect([again.status, again.body.message, again.body.data.id]).toEqual([
      201,
      'Subscription already granted',
      granted.body.data.id,
    ]);

    const active = await api.get('/api/profile/cowork/subscribers/active').set(bearer(donny));
    expect(active.body.data).toMatchObject({ count: 1, page: 1, per_page: 25 });
    expect(organizations(active)).toEqual(['xia']);
    const xia = (await api.post('/api/auth').send({ username: 'xia', password: 'yoyo' })).body
      .token as string;
    const mine = await api.get('/api/profile/xia/subscriptions').set(bearer(xia));
    expect(mine.body.data.results.map((r: { provider: string }) => r.provider)).toEqual([
      'platform',
      'cowork',
    ]);

    const atPeriodEnd = await api
      .delete('/api/profile/cowork/plans/premium/subscriptions/xia')
      .set(bearer(donny));
    expect(atPeriodEnd.body.data).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      ends_at: granted.body.data.current_period_end,
    });
    const now = await api
      .delete('/api/profile/cowork/plans/premium/subscriptions/xia?at=now')
      .set(bearer(donny));
    expect([now.status, now.body.data.status, now.body.data.cancel_at_period_end]).toEqual([
      200,
      'ended',
      false,
    ]);
    const repeat = await api
      .delete('/api/profile/cowork/plans/premium/subscriptions/xia?at=now')
      .set(bearer(donny));
    expect([repeat.status, repeat.body.data.ends_at]).toEqual([200, now.body.data.ends_at]);
    const churned = await api.get('/api/profile/cowork/subscribers/churned').set(bearer(donny));
    expect(organizations(churned)).toEqual(['xia']);
    expect(
      (await api.get('/api/profile/cowork/subscribers/active').set(bearer(donny))).body.data.count,
    ).toBe(0);
    const id = granted.body.data.id as string;
    expect(await subscriptionEvents(id, 4)).toEqual([
      ['SubscriptionStarted', id, 'active'],
      // the first month's 49.00 in advance, which billing invoices (provider-renewals.test.ts)
      ['SubscriptionInvoiceDue', id, undefined],
      ['SubscriptionCanceled', id, 'active'],
      ['SubscriptionCanceled', id, 'ended'],
    ]);
    // ended, the plan may be granted again: a new subscription
    const renewed = await grant(donny, 'cowork', 'premium', { organization: { slug: 'xia' } });
    expect([renewed.status, renewed.body.data.id === granted.body.data.id]).toEqual([201, false]);
  });
});

describe('plans of a provider', () => {
  test('when a plan body is invalid, then it is a 422 naming the field and nothing is created', async () => {
    const p = await provider('badplans');
    const metric = await api
      .post(`/api/profile/${p.slug}/billable-metrics`)
      .set(bearer(p.token))
      .send({ code: 'api_calls', name: 'API calls', aggregation: 'count' });
    expect(metric.status).toBe(201);
    const plan = { code: 'pro', name: 'Pro', currency: 'USD', interval: 'month' };
    const usage = { kind: 'usage', code: 'calls', name: 'Calls', metric: 'api_calls' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...usage, metric: 'nope', model: 'per_unit', unit_price: '1' }, 'charges[0].metric'],
      [
        { ...usage, model: 'graduated', tiers: [{ up_to: '10', unit_price: '1' }] },
        'charges[0].tiers[0].up_to',
      ],
      [
        {
          ...usage,
          model: 'volume',
          tiers: [
            { up_to: '10', unit_price: '1' },
            { up_to: '5', unit_price: '1' },
            { up_to: null, unit_price: '1' },
          ],
        },
        'charges[0].tiers[1].up_to',
      ],
      [
        { ...usage, model: 'package', package_size: 0, package_amount: '1' },
        'charges[0].package_size',
      ],
      [{ ...usage, model: 'per_unit', unit_price: '0.000000001' }, 'charges[0].unit_price'],
      [{ kind: 'flat', code: 'base', name: 'Base', amount: '1.001' }, 'charges[0].amount'],
    ];
    for (const [charge, field] of cases) {
      const res = await api
        .post(`/api/profile/${p.slug}/plans`)
        .set(bearer(p.token))
        .send({ ...plan, charges: [charge] });
      expect([res.status, res.body.type]).toEqual([422, 'validation_error']);
      expect(res.body.details).toContainEqual(expect.objectContaining({ field }));
    }
    const twice = { kind: 'flat', code: 'base', name: 'Base', amount: '1' };
    const dup = await api
      .post(`/api/profile/${p.slug}/plans`)
      .set(bearer(p.token))
      .send({ ...plan, charges: [twice, twice] });
    expect(dup.body.details).toContainEqual(expect.objectContaining({ field: 'charges[1].code' }));
    const list = await api.get(`/api/profile/${p.slug}/plans`).set(bearer(p.token));
    expect(list.body.data.count).toBe(0);

    await createPlan(p.token, p.slug, {
      ...plan,
      charges: [{ ...usage, model: 'per_unit', unit_price: '0.0015' }],
    });
    const taken = await api.post(`/api/profile/${p.slug}/plans`).set(bearer(p.token)).send(plan);
    expect([taken.status, taken.body.reason]).toEqual([409, 'duplicate']);
    const used = await api
      .delete(`/api/profile/${p.slug}/billable-metrics/api_calls`)
      .set(bearer(p.token));
    expect([used.status, used.body.reason]).toEqual([409, 'in_use']);
    const noField = await api
      .post(`/api/profile/${p.slug}/billable-metrics`)
      .set(bearer(p.token))
      .send({ code: 'gb', name: 'GB', aggregation: 'sum' });
    expect(noField.status).toBe(422);
    const toSum = api.put(`/api/profile/${p.slug}/billable-metrics/api_calls`).set(bearer(p.token));
    expect((await toSum.send({ aggregation: 'sum' })).status).toBe(422);
    const summed = await api
      .patch(`/api/profile/${p.slug}/billable-metrics/api_calls`)
      .set(bearer(p.token))
      .send({ aggregation: 'sum', field: 'requests' });
    expect(summed.body.data).toMatchObject({
      code: 'api_calls',
      aggregation: 'sum',
      field: 'requests',
    });
    const metrics = await api.get(`/api/profile/${p.slug}/billable-metrics`).set(bearer(p.token));
    expect(metrics.body.data).toMatchObject({ count: 1, results: [{ code: 'api_calls' }] });
  });

  test('when a price changes, then the plan has version 2 and an existing subscription keeps version 1', async () => {
    const p = await provider('versions');
    const subscriberA = await provider('suba');
    const subscriberB = await provider('subb');
    const plan = await createPlan(p.token, p.slug, {
      code: 'team',
      name: 'Team',
      currency: 'EUR',
      interval: 'year',
      anchor_day: 1,
      charges: [
        { kind: 'flat', code: 'base', name: 'Base', amount: '100.00' },
        { kind: 'per_seat', code: 'seat', name: 'Seat', unit_amount: '9.50' },
      ],
    });
    const first = await grant(p.token, p.slug, 'team', {
      organization: { slug: subscriberA.slug },
      seats: 3,
    });
    expect(first.body.data).toMatchObject({ plan_version: 1, seats: 3 });
    const renamed = await api
      .patch(`/api/profile/${p.slug}/plans/team`)
      .set(bearer(p.token))
      .send({ name: 'Team plan', limits: { seats: 10 } });
    expect(renamed.body.data).toMatchObject({ version: 1, name: 'Team plan' });
    const repriced = await api
      .put(`/api/profile/${p.slug}/plans/${plan.id}`)
      .set(bearer(p.token))
      .send({ charges: [{ kind: 'flat', code: 'base', name: 'Base', amount: '120.00' }] });
    expect(repriced.body.data).toMatchObject({
      version: 2,
      name: 'Team plan',
      limits: { seats: 10 },
      charges: [{ kind: 'flat', code: 'base', amount: '120.00' }],
    });
    const kept = await api
      .get(`/api/profile/${p.slug}/plans/team/subscriptions/${subscriberA.slug}`)
      .set(bearer(p.token));
    expect(kept.body.data).toMatchObject({ plan_version: 1 });
    const second = await grant(p.token, p.slug, 'team', {
      organization: { slug: subscriberB.slug },
    });
    expect(second.body.data.plan_version).toBe(2);
    const listed = await api
      .get(`/api/profile/${p.slug}/plans/team/subscriptions`)
      .set(bearer(p.token));
    expect(listed.body.data.count).toBe(2);

    await createPlan(p.token, p.slug, {
      code: 'solo',
      name: 'Solo',
      currency: 'EUR',
      interval: 'month',
    });
    const rename = await api
      .patch(`/api/profile/${p.slug}/plans/solo`)
      .set(bearer(p.token))
      .send({ code: 'team' });
    expect([rename.status, rename.body.reason]).toEqual([409, 'duplicate']);
    const inUse = await api.delete(`/api/profile/${p.slug}/plans/team`).set(bearer(p.token));
    expect([inUse.status, inUse.body.reason]).toEqual([409, 'in_use']);
    for (const s of [subscriberA, subscriberB])
      await api
        .delete(`/api/profile/${p.slug}/plans/team/subscriptions/${s.slug}?at=now`)
        .set(bearer(p.token));
    expect(
      (await api.delete(`/api/profile/${p.slug}/plans/team`).set(bearer(p.token))).status,
    ).toBe(200);
  });

  test('when a plan has trial days or a customer subscribes, then the subscription is a trial or names the customer', async () => {
    const p = await provider('trials');
    await createPlan(p.token, p.slug, {
      code: 'trial',
      name: 'Trial',
      currency: 'USD',
      interval: 'month',
      trial_days: 14,
    });
    const customerId = await createCustomer(api, p.token, 'Subscriber Co', 'USD');
    const sub = await grant(p.token, p.slug, 'trial', { customer: { id: customerId } });
    expect([sub.status, sub.body.error]).toEqual([201, undefined]);
    expect(sub.body.data).toMatchObject({
      organization: null,
      customer: { id: customerId },
      status: 'trial',
      trial_ends_at: sub.body.data.current_period_end,
    });
    expect(
      Date.parse(sub.body.data.trial_ends_at) - Date.parse(sub.body.data.current_period_start),
    ).toBe(14 * 86_400_000);
    const unknown = await grant(p.token, p.slug, 'trial', { customer: { id: 'cus_nope' } });
    expect(unknown.status).toBe(404);
    const self = await grant(p.token, p.slug, 'trial', { organization: { slug: p.slug } });
    expect(self.status).toBe(422);
  });
});

describe('who may reach a provider', () => {
  test('when a viewer writes, then 403; when another tenant asks for the provider, its plan or subscription, then 404', async () => {
    const p = await provider('guarded');
    const org = await provider('guardedsub');
    await createPlan(p.token, p.slug, {
      code: 'basic',
      name: 'Basic',
      currency: 'USD',
      interval: 'month',
    });
    expect(
      (await grant(p.token, p.slug, 'basic', { organization: { slug: org.slug } })).status,
    ).toBe(201);

    const viewer = await newTeamMember(api, p, 'viewer', 'viewer');
    expect(
      (await api.get(`/api/profile/${p.slug}/plans/basic`).set(bearer(viewer.token))).status,
    ).toBe(200);
    expect(
      (await api.get(`/api/profile/${p.slug}/subscribers`).set(bearer(viewer.token))).status,
    ).toBe(200);
    const viewerGrant = await grant(viewer.token, p.slug, 'basic', {
      organization: { slug: org.slug },
    });
    expect([viewerGrant.status, viewerGrant.body.error]).toEqual([
      403,
      'This action requires the plans:update permission',
    ]);
    expect(
      (await api.post(`/api/profile/${p.slug}/plans`).set(bearer(viewer.token)).send({})).status,
    ).toBe(403);

    const stranger = await provider('stranger');
    for (const path of [
      `/api/profile/${p.slug}/plans`,
      `/api/profile/${p.slug}/plans/basic`,
      `/api/profile/${p.slug}/plans/basic/subscriptions`,
      `/api/profile/${p.slug}/plans/basic/subscriptions/${org.slug}`,
      `/api/profile/${p.slug}/subscribers/active`,
      `/api/profile/${p.slug}/billable-metrics`,
    ])
      expect([path, (await api.get(path).set(bearer(stranger.token))).status]).toEqual([path, 404]);
    const strangerGrant = await grant(stranger.token, p.slug, 'basic', {
      organization: { slug: org.slug },
    });
    expect(strangerGrant.status).toBe(404);
    expect(
      (await api.get(`/api/profile/${stranger.slug}/plans/basic`).set(bearer(stranger.token)))
        .status,
    ).toBe(404);
    // the subscriber sees its subscription; the stranger does not see the subscriber's list
    const mine = await api.get(`/api/profile/${org.slug}/subscriptions`).set(bearer(org.token));
    expect(mine.body.data.results.map((r: { provider: string }) => r.provider)).toContain(p.slug);
    expect(
      (await api.get(`/api/profile/${org.slug}/subscriptions`).set(bearer(stranger.token))).status,
    ).toBe(404);
  });
});
