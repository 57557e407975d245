/**
 * Plan limits decided on current data (BRIEF.md): a service whose copy of a tenant's limits lags
 * asks tenants, never treats the tenant as unlimited, and counts and creates under one lock.
 */
import request from 'supertest';
import { eventually, uniqueId } from '../support/infra';
import { bearer, login, registerAndLogin } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(180_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;
let admin: string;

beforeAll(async () => {
  platform = await startTestPlatform('lim', { basePort: 6000, gatewayPort: 6080 });
  api = request(platform.gatewayUrl);
  admin = (await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' }))
    .body.token;
});

afterAll(async () => {
  await platform?.stop();
});

async function createPlan(limits: Record<string, number>) {
  const res = await api
    .post('/api/saas/plans')
    .set(bearer(admin))
    .send({
      name: uniqueId('Plan '),
      price_monthly: 10.0,
      price_yearly: 100.0,
      billing_cycle: 'monthly',
      trial_enabled: false,
      limits,
    });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data.id as string;
}

/** A tenant made by the platform admin on `planId`, and its owner's token right after. */
async function tenantOwner(planId: string) {
  const subdomain = uniqueId('lim');
  const res = await api
    .post('/api/saas/tenants')
    .set(bearer(admin))
    .send({
      company_name: 'Limited Co',
      email: `${subdomain}@example.com`,
      first_name: 'Lia',
      last_name: 'Mit',
      plan_id: planId,
      subdomain,
      password: 'owner-password',
    });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  const owner = await login(api, `${subdomain}@example.com`, 'owner-password');
  return { tenantId: res.body.data.id as string, token: owner.token };
}

const createCustomer = (token: string) =>
  api
    .post('/api/customers/customers/')
    .set(bearer(token))
    .send({ customer_name: uniqueId('Customer '), customer_type: 'bw' });

const invite = (token: string) =>
  api
    .post('/v1/account/team/')
    .set(bearer(token))
    .send({ email: `${uniqueId('staff')}@example.com` });

const createInvoice = (token: string) =>
  api.post('/api/bills/invoices/').set(bearer(token)).send({ currency: 'USD' });

/** Statuses sorted, with the error type of each refusal. */
const outcomes = (responses: request.Response[]) =>
  responses.map((r) => (r.status === 201 ? '201' : `${r.status} ${r.body.type}`)).sort();

describe('plan limits on a new tenant', () => {
  test('when 20 new tenants on a 2-customer plan each create three customers at once right away, then each gets exactly two 201s and one 403 plan_limit_reached', async () => {
    const plan = await createPlan({ customers: 2 });
    const runs: string[][] = [];
    // five tenants at a time: the machine is shared, and each run still races its own three
    for (let batch = 0; batch < 4; batch++) {
      runs.push(
        ...(await Promise.all(
          Array.from({ length: 5 }, async () => {
            const { token } = await tenantOwner(plan);
            return outcomes(await Promise.all([1, 2, 3].map(() => createCustomer(token))));
          }),
        )),
      );
    }
    expect(runs).toEqual(
      Array.from({ length: 20 }, () => ['201', '201', '403 plan_limit_reached']),
    );
  });

  test('when a new tenant on a 2-staff plan sends three invitations at once, then the owner and one pending invitation fill it', async () => {
    const plan = await createPlan({ staff: 2 });
    for (let run = 0; run < 3; run++) {
      const { token } = await tenantOwner(plan);
      expect(outcomes(await Promise.all([1, 2, 3].map(() => invite(token))))).toEqual([
        '201',
        '403 plan_limit_reached',
        '403 plan_limit_reached',
      ]);
    }
  });

  test('when a new tenant on a 2-invoice plan creates three invoices at once, then two are created and one is refused', async () => {
    const { token } = await tenantOwner(await createPlan({ invoices: 2 }));
    expect(outcomes(await Promise.all([1, 2, 3].map(() => createInvoice(token))))).toEqual([
      '201',
      '201',
      '403 plan_limit_reached',
    ]);
    const list = await api.get('/api/bills/invoices/').set(bearer(token));
    expect(list.body.data.count).toBe(2);
  });
});

describe('plan changes', () => {
  test('when a tenant at its limit is upgraded, then a creation beyond the old limit right after is 201; a deletion frees a place', async () => {
    const small = await createPlan({ customers: 2 });
    const large = await createPlan({ customers: 3 });
    const { tenantId, token } = await tenantOwner(small);
    expect(outcomes(await Promise.all([1, 2].map(() => createCustomer(token))))).toEqual([
      '201',
      '201',
    ]);
    const upgrade = await api
      .put(`/api/saas/tenants/${tenantId}/subscription`)
      .set(bearer(admin))
      .send({ plan_id: large });
    expect(upgrade.status).toBe(200);
    const third = await createCustomer(token);
    expect([third.status, third.body.error]).toEqual([201, undefined]);
    expect(outcomes([await createCustomer(token)])).toEqual(['403 plan_limit_reached']);
    const removed = await api
      .delete(`/api/customers/customers/${third.body.data.id}/`)
      .set(bearer(token));
    expect(removed.status).toBeLessThan(300);
    expect((await createCustomer(token)).status).toBe(201);
  });

  test("when a plan's limits are lowered, then its tenants are held to the new limit", async () => {
    const plan = await createPlan({ customers: 5 });
    const { token } = await tenantOwner(plan);
    expect((await createCustomer(token)).status).toBe(201);
    const lowered = await api
      .put(`/api/saas/plans/${plan}`)
      .set(bearer(admin))
      .send({ limits: { customers: 1 } });
    expect(lowered.status).toBe(200);
    // the tenant's limits are republished with the plan change; the copy follows that event
    const refused = await eventually(
      () => createCustomer(token),
      (r) => r.status !== 201,
    );
    expect(outcomes([refused])).toEqual(['403 plan_limit_reached']);
  });
});

describe('tenants unreachable', () => {
  test('when tenants is down and a service has no limits for the tenant yet, then the creation is refused with 503, and succeeds once tenants is back', async () => {
    await platform.stopOne('tenants');
    let restarted = false;
    try {
      const org = await registerAndLogin(api, 'nolim');
      const refused = await createCustomer(org.token);
      expect([refused.status, refused.body.type]).toEqual([503, 'service_unavailable']);
      const list = await api.get('/api/customers/customers/').set(bearer(org.token));
      expect(list.body.data.count).toBe(0);
      platform.startOne('tenants');
      restarted = true;
      // a tenant that registered itself has no plan: once tenants answers, it is not limited
      const created = await eventually(
        () => createCustomer(org.token),
        (r) => r.status === 201,
        30_000,
        500,
      );
      expect(created.status).toBe(201);
    } finally {
      if (!restarted) platform.startOne('tenants');
    }
  });
});
