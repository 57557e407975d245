import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer } from '../support/accounts';
import * as providers from '../support/providers';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(180_000);

let platform: RunningPlatform & { topicPrefix: string };
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('prn', { basePort: 8800, gatewayPort: 8880 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const DAY = 86_400_000;

/** The provider's two plans: team (29.00 + 10.00 a seat) and business (59.00 + 15.00 a seat). */
async function teamAndBusiness(shop: { token: string; slug: string }) {
  for (const [code, base, seat] of [
    ['team', '29.00', '10.00'],
    ['business', '59.00', '15.00'],
  ] as const)
    await providers.createPlan(api, shop.token, shop.slug, providers.feePlan(code, base, seat));
}

describe("providers' renewal invoicing", () => {
  test('when an organization subscribed 40 days ago with 2 seats, then it is invoiced its first period at once and the second at renewal, once each', async () => {
    const cowork = await providers.provider(api, 'rncow');
    const xia = await providers.provider(api, 'rnxia');
    const plan = await providers.createPlan(
      api,
      cowork.token,
      cowork.slug,
      providers.feePlan('team', '29.00', '10.00'),
    );
    const start = new Date(Date.now() - 40 * DAY);
    const granted = await providers.grant(api, cowork.token, cowork.slug, plan.code, {
      organization: { slug: xia.slug },
      seats: 2,
      starts_at: start.toISOString(),
    });
    expect([granted.status, granted.body.error]).toEqual([201, undefined]);

    // 29.00 + 2 x 10.00 in advance for each whole month: the start, then the renewal
    const invoices = await providers.invoicesTo(api, cowork.token, xia.tenantId, 2);
    expect(invoices.map((i) => [i.total_bill_amount, i.currency, i.issue_date])).toEqual([
      ['49.00', 'USD', start.toISOString().slice(0, 10)],
      ['49.00', 'USD', new Date(granted.body.data.current_period_end).toISOString().slice(0, 10)],
    ]);
    expect(invoices[0]!.details.map((d) => d.sub_total)).toEqual(['29.00', '20.00']);
    expect(invoices[0]!.details[1]!.remarks).toMatch(/^Seats: 2 at 10\.00, /);

    // the sweep keeps running: still two invoices, and the subscription is in its second period
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await providers.invoicesTo(api, cowork.token, xia.tenantId, 2)).toHaveLength(2);
    const now = await api
      .get(`/api/profile/${cowork.slug}/plans/${plan.code}/subscriptions/${xia.slug}`)
      .set(bearer(cowork.token));
    expect(now.body.data).toMatchObject({ status: 'active' });
    expect(Date.parse(now.body.data.current_period_start)).toBe(
      Date.parse(granted.body.data.current_period_end),
    );
  });

  test('when a subscription starts in a trial, then nothing is invoiced until the trial ends', async () => {
    const acme = await providers.provider(api, 'rnacm');
    const bob = await providers.provider(api, 'rnbob');
    const plan = await providers.createPlan(
      api,
      acme.token,
      acme.slug,
      providers.feePlan('pro', '15.00', undefined, { trial_days: 14 }),
    );
    const granted = await providers.grant(api, acme.token, acme.slug, plan.code, {
      organization: { slug: bob.slug },
    });
    expect(granted.body.data).toMatchObject({ status: 'trial' });

    await new Promise((resolve) => setTimeout(resolve, 2000));
    const res = await api.get('/api/bills/invoices/?per_page=100').set(bearer(acme.token));
    expect(res.body.data.results).toEqual([]);
  });

  test('when a subscriber upgrades mid-period, then the prorated difference is invoiced at once; a downgrade waits for the period end and charges nothing now', async () => {
    const shop = await providers.provider(api, 'rnshp');
    const eve = await providers.provider(api, 'rneve');
    await teamAndBusiness(shop);
    const granted = await providers.grant(api, shop.token, shop.slug, 'team', {
      organization: { slug: eve.slug },
      seats: 2,
      starts_at: new Date(Date.now() - 9 * DAY).toISOString(),
    });
    expect(granted.status).toBe(201);
    await providers.invoicesTo(api, shop.token, eve.tenantId, 1);

    const path = `/api/profile/${shop.slug}/plans/team/subscriptions/${eve.slug}`;
    const before = Date.now();
    const up = await api.patch(path).set(bearer(shop.token)).send({ plan: 'business' });
    expect([up.status, up.body.error]).toEqual([200, undefined]);
    expect(up.body.data).toMatchObject({
      plan: { slug: 'business' },
      seats: 2,
      pending_change: null,
    });

    // independently: (59 + 2 x 15) - (29 + 2 x 10) = 40.00 for the remaining days of the period,
    // counted in whole UTC days as the engine does, rounded half away from zero
    const {
      remaining,
      whole,
      minor: expected,
    } = providers.proratedMinor(granted.body.data, 4000, before);
    const invoices = await providers.invoicesTo(api, shop.token, eve.tenantId, 2);
    expect(invoices.map((i) => i.total_bill_amount)).toEqual([
      '49.00',
      (expected / 100).toFixed(2),
    ]);
    expect(invoices[1]!.details[0]!.remarks).toMatch(
      new RegExp(`Plan change: ${remaining}/${whole} days of the 40.00 USD difference`),
    );

    const upPath = `/api/profile/${shop.slug}/plans/business/subscriptions/${eve.slug}`;
    const down = await api.patch(upPath).set(bearer(shop.token)).send({ plan: 'team' });
    expect([down.status, down.body.error]).toEqual([200, undefined]);
    expect(down.body.data).toMatchObject({
      plan: { slug: 'business' },
      pending_change: {
        plan: { slug: 'team' },
        seats: 2,
        at: granted.body.data.current_period_end,
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await providers.invoicesTo(api, shop.token, eve.tenantId, 2)).toHaveLength(2);
  });

  test('when a subscriber downgrades at once, then the unused days become its credit balance, and its next invoice takes it as a credit note', async () => {
    const shop = await providers.provider(api, 'rncrd');
    const kim = await providers.provider(api, 'rnkim');
    await teamAndBusiness(shop);
    const granted = await providers.grant(api, shop.token, shop.slug, 'business', {
      organization: { slug: kim.slug },
      seats: 2,
      starts_at: new Date(Date.now() - 9 * DAY).toISOString(),
    });
    expect(granted.status).toBe(201);
    await providers.invoicesTo(api, shop.token, kim.tenantId, 1);

    // independently: (59 + 2 x 15) - (29 + 2 x 10) = 40.00 for the remaining whole UTC days
    const prorated = () => providers.proratedMinor(granted.body.data, 4000).minor;
    const credit = prorated();
    const down = await api
      .patch(`/api/profile/${shop.slug}/plans/business/subscriptions/${kim.slug}`)
      .set(bearer(shop.token))
      .send({ plan: 'team', at: 'now' });
    expect([down.status, down.body.error]).toEqual([200, undefined]);
    expect(down.body.data).toMatchObject({
      plan: { slug: 'team' },
      pending_change: null,
      credit_balance: (credit / 100).toFixed(2),
    });
    // nothing is invoiced for a downgrade
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await providers.invoicesTo(api, shop.token, kim.tenantId, 1)).toHaveLength(1);

    // upgrading back the same day owes exactly the credit: the proration invoice takes all of it
    const up = await api
      .patch(`/api/profile/${shop.slug}/plans/team/subscriptions/${kim.slug}`)
      .set(bearer(shop.token))
      .send({ plan: 'business' });
    expect([up.status, up.body.data?.credit_balance]).toEqual([200, null]);
    expect(prorated()).toBe(credit); // still the same UTC day
    const [, proration] = await providers.invoicesTo(api, shop.token, kim.tenantId, 2);
    expect(proration!.total_bill_amount).toBe((credit / 100).toFixed(2));
    const credited = await eventually(
      async () =>
        (await api.get(`/api/bills/invoices/${proration!.id}/`).set(bearer(shop.token))).body.data,
      (inv) => inv.credited_amount === (credit / 100).toFixed(2),
    );
    expect(credited).toMatchObject({
      total_balance_due: '0.00',
      credit_notes: [expect.objectContaining({ amount: (credit / 100).toFixed(2) })],
    });
  });
});
