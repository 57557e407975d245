import { PLATFORM_TENANT_ID } from '@ledgerline/contracts';
import request from 'supertest';
import { MongoClient } from 'mongodb';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, KAFKA_BROKERS, MONGO_URL, uniqueId } from '../support/infra';
import { bearer, login, registerAndLogin } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(180_000);

let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let admin: string;

beforeAll(async () => {
  platform = await startTestPlatform('ten', { basePort: 17000, gatewayPort: 21080 });
  api = request(platform.gatewayUrl);
  admin = (await api.post('/api/auth').send({ username: 'admin', password: 'ledgerline-admin' }))
    .body.token;
});

afterAll(async () => {
  await platform?.stop();
});

async function createPlan(
  name: string,
  limits: Record<string, number>,
  extra: Record<string, unknown> = {},
) {
  const res = await api
    .post('/api/saas/plans')
    .set(bearer(admin))
    .send({
      name,
      price_monthly: 10.0,
      price_yearly: 100.0,
      billing_cycle: 'monthly',
      is_popular: false,
      trial_enabled: false,
      limits,
      ...extra,
    });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string; name: string };
}

async function createTenant(planId: string, subdomain = uniqueId('acme')) {
  const res = await api
    .post('/api/saas/tenants')
    .set(bearer(admin))
    .send({
      company_name: 'Acme Corp',
      email: `${subdomain}@example.com`,
      first_name: 'John',
      last_name: 'Doe',
      plan_id: planId,
      subdomain,
      password: 'owner-password',
    });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return {
    ...(res.body.data as { id: string; domain: string; status: string }),
    email: `${subdomain}@example.com`,
    subdomain,
  };
}

describe('seed 003 plans', () => {
  test('when the platform admin creates, lists, reads, updates and deletes plans, then the seed fields come back', async () => {
    const starter = await createPlan(
      'Starter',
      { customers: 50, invoices: 100, projects: 5, staff: 2 },
      { trial_enabled: true, trial_days: 14 },
    );
    expect(starter).toMatchObject({
      name: 'Starter',
      price_monthly: '10.00',
      price_yearly: '100.00',
      currency: 'USD',
      billing_cycle: 'monthly',
      is_popular: false,
      trial_enabled: true,
      limits: { customers: 50, invoices: 100, projects: 5, staff: 2 },
    });
    const list = await api.get('/api/saas/plans').set(bearer(admin));
    expect(list.status).toBe(200);
    expect(list.body.data.plans.map((p: { id: string }) => p.id)).toContain(starter.id);
    expect((await api.get(`/api/saas/plans/${starter.id}`).set(bearer(admin))).body.data.name).toBe(
      'Starter',
    );
    const updated = await api
      .put(`/api/saas/plans/${starter.id}`)
      .set(bearer(admin))
      .send({ is_popular: true, price_monthly: '12.50' });
    expect(updated.body.data).toMatchObject({ is_popular: true, price_monthly: '12.50' });
    const bad = await api
      .post('/api/saas/plans')
      .set(bearer(admin))
      .send({ name: 'X', price_monthly: '10.001', price_yearly: 1, limits: { Customers: -1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['limits.Customers']);
    const decimals = await api
      .post('/api/saas/plans')
      .set(bearer(admin))
      .send({ name: 'X', price_monthly: '10.001', price_yearly: 1 });
    expect([decimals.status, decimals.body.details]).toEqual([
      422,
      [{ field: 'price_monthly', message: 'USD allows at most 2 decimal places' }],
    ]);
    const throwaway = await createPlan('Throwaway', {});
    expect((await api.delete(`/api/saas/plans/${throwaway.id}`).set(bearer(admin))).status).toBe(
      200,
    );
    expect((await api.get(`/api/saas/plans/${throwaway.id}`).set(bearer(admin))).status).toBe(404);
  });

  test('when seed 003 changes a platform plan, then the provider engine shows it as the platform plan whose terms gain a version only when what it bills changes', async () => {
    const name = `Engine ${uniqueId('p')}`;
    const plan = await createPlan(name, { customers: 10 });
    const engine = () => api.get(`/api/profile/platform/plans/${plan.id}`).set(bearer(admin));
    const first = await engine();
    expect([first.status, first.body.data]).toEqual([
      200,
      expect.objectContaining({
        id: plan.id,
        provider: 'platform',
        name,
        limits: { customers: 10 },
        version: 1,
        currency: 'USD',
        interval: 'month',
        trial_days: 0,
        charges: [expect.objectContaining({ kind: 'flat', code: 'base', amount: '10.00' })],
      }),
    ]);
    // the yearly price of a monthly plan is listed, not billed: no new version
    await api.patch(`/api/saas/plans/${plan.id}`).set(bearer(admin)).send({ price_yearly: 90 });
    expect((await engine()).body.data.version).toBe(1);
    const changed = await api
      .patch(`/api/saas/plans/${plan.id}`)
      .set(bearer(admin))
      .send({ price_monthly: '11.25', trial_enabled: true, trial_days: 7 });
    expect(changed.body.data).toMatchObject({
      price_monthly: '11.25',
      price_yearly: '90.00',
      trial_enabled: true,
      trial_days: 7,
    });
    expect((await engine()).body.data).toMatchObject({
      version: 2,
      trial_days: 7,
      charges: [expect.objectContaining({ code: 'base', amount: '11.25' })],
    });
    const listed = await api.get('/api/profile/platform/plans?per_page=100').set(bearer(admin));
    expect(listed.body.data.results.map((p: { id: string }) => p.id)).toContain(plan.id);
    // seed 001's slug of the name still names it
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    expect(
      (await api.get(`/api/profile/platform/plans/${slug}`).set(bearer(admin))).body.data.id,
    ).toBe(plan.id);

    // the plan's subscribers are the tenants on it, read through the engine's routes too
    const tenant = await createTenant(plan.id);
    const subscriptions = await api
      .get(`/api/profile/platform/plans/${plan.id}/subscriptions`)
      .set(bearer(admin));
    expect([subscriptions.status, subscriptions.body.data.count]).toEqual([200, 1]);
    expect(subscriptions.body.data.results[0]).toMatchObject({
      organization: { id: tenant.id, slug: tenant.subdomain },
      plan: { id: plan.id, title: name },
      provider: 'platform',
      // the plan's trial (7 days since the change above) starts the tenant in it
      status: 'trial',
    });
    const one = await api
      .get(`/api/profile/platform/plans/${plan.id}/subscriptions/${tenant.subdomain}`)
      .set(bearer(admin));
    expect([one.status, one.body.data.organization.id]).toEqual([200, tenant.id]);
    const elsewhere = await createTenant((await createPlan(`Other ${uniqueId('p')}`, {})).id);
    expect(
      (
        await api
          .get(`/api/profile/platform/plans/${plan.id}/subscriptions/${elsewhere.subdomain}`)
          .set(bearer(admin))
      ).status,
    ).toBe(404);

    // a tenant's owner does not see the platform as a provider
    const owner = await login(api, tenant.email, 'owner-password');
    for (const path of [
      '/api/profile/platform/plans',
      `/api/profile/platform/plans/${plan.id}/subscriptions`,
    ])
      expect((await api.get(path).set(bearer(owner.token))).status).toBe(404);
  });
});

describe('seed 003 tenants', () => {
  test('when the seed requests are sent, then tenants are created, listed, read with usage, updated and deleted', async () => {
    const plan = await createPlan('Professional', {
      customers: 500,
      invoices: 1000,
      projects: 50,
      staff: 10,
    });
    const tenant = await createTenant(plan.id);
    expect(tenant).toMatchObject({
      company_name: 'Acme Corp',
      domain: `${tenant.subdomain}.ledgerline.local`,
      plan: 'Professional',
      plan_id: plan.id,
      status: 'active',
    });

    const list = await api
      .get('/api/saas/tenants?page=1&per_page=25&status=active')
      .set(bearer(admin));
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject({ page: 1, per_page: 25 });
    expect(list.body.data.total).toBe(list.body.data.count);
    expect(list.body.data.tenants.find((t: { id: string }) => t.id === tenant.id)).toMatchObject({
      company_name: 'Acme Corp',
      plan: 'Professional',
      status: 'active',
    });
    expect((await api.get('/api/saas/tenants?per_page=101').set(bearer(admin))).status).toBe(422);
    expect((await api.get('/api/saas/tenants?status=sleeping').set(bearer(admin))).status).toBe(
      422,
    );

    // the owner counts as staff once auth's MemberJoined has been delivered
    const detail = await eventually(
      () => api.get(`/api/saas/tenants/${tenant.id}`).set(bearer(admin)),
      (r) => r.body.data.usage.staff.used === 1,
    );
    expect(detail.body.data).toMatchObject({
      id: tenant.id,
      plan_id: plan.id,
      plan_name: 'Professional',
      expires_at: null,
      usage: {
        customers: { used: 0, limit: 500 },
        invoices: { used: 0, limit: 1000 },
        projects: { used: 0, limit: 50 },
        staff: { used: 1, limit: 10, percentage: 10 },
      },
    });

    const updated = await api
      .put(`/api/saas/tenants/${tenant.id}`)
      .set(bearer(admin))
      .send({ company_name: 'Acme Corporation', status: 'inactive' });
    expect(updated.body.data).toMatchObject({
      company_name: 'Acme Corporation',
      status: 'inactive',
    });

    expect((await api.delete(`/api/saas/plans/${plan.id}`).set(bearer(admin))).status).toBe(409);
    expect(
      (await api.put(`/api/saas/plans/${plan.id}`).set(bearer(admin)).send({ is_active: false }))
        .status,
    ).toBe(200);

    expect((await api.delete(`/api/saas/tenants/${tenant.id}`).set(bearer(admin))).status).toBe(
      200,
    );
    expect((await api.get(`/api/saas/tenants/${tenant.id}`).set(bearer(admin))).status).toBe(404);
    expect((await api.delete(`/api/saas/tenants/${tenant.id}`).set(bearer(admin))).status).toBe(
      404,
    );
  });

  test('when a subdomain is taken or not a DNS label, or a field is missing, then 409 or 422 and nothing is created', async () => {
    const plan = await createPlan('Basic', { customers: 5 });
    const tenant = await createTenant(plan.id);
    const again = await api.post('/api/saas/tenants').set(bearer(admin)).send({
      company_name: 'Copy',
      email: 'copy@example.com',
      first_name: 'C',
      last_name: 'D',
      plan_id: plan.id,
      subdomain: tenant.subdomain,
    });
    expect([again.status, again.body.details]).toEqual([
      409,
      [{ field: 'subdomain', message: 'is already taken' }],
    ]);
    const bad = await api.post('/api/saas/tenants').set(bearer(admin)).send({
      company_name: 'Bad',
      email: 'not-an-email',
      first_name: 'B',
      plan_id: plan.id,
      subdomain: '-bad_label-',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'last_name',
      'subdomain',
    ]);
    const unknownPlan = await api
      .post('/api/saas/tenants')
      .set(bearer(admin))
      .send({
        company_name: 'U',
        email: 'u@example.com',
        first_name: 'U',
        last_name: 'V',
        plan_id: 2,
        subdomain: uniqueId('u'),
      });
    expect([unknownPlan.status, unknownPlan.body.details]).toEqual([
      422,
      [{ field: 'plan_id', message: 'does not name a plan' }],
    ]);
    // the owner can log in to the new tenant with the password given at creation
    const owner = await login(api, tenant.email, 'owner-password');
    expect(owner.tenantId).toBe(tenant.id);
  });

  test('when a tenant is created without a password, then its owner gets an invitation to accept', async () => {
    const plan = await createPlan('Invite', {});
    const subdomain = uniqueId('inv');
    const res = await api
      .post('/api/saas/tenants')
      .set(bearer(admin))
      .send({
        company_name: 'Invited',
        email: `${subdomain}@example.com`,
        first_name: 'I',
        last_name: 'N',
        plan_id: plan.id,
        subdomain,
      });
    expect(res.status).toBe(201);
    expect(res.body.data.owner_invitation_token).toEqual(expect.any(String));
    expect(
      (
        await api.post('/api/auth/invitations/accept').send({
          email: `${subdomain}@example.com`,
          invitation_token: res.body.data.owner_invitation_token,
          password: 'chosen-password',
        })
      ).status,
    ).toBe(200);
    expect((await login(api, `${subdomain}@example.com`, 'chosen-password')).tenantId).toBe(
      res.body.data.id,
    );
  });

  test("when a tenant's owner is an e-mail only invited to a team so far, then the owner invitation sets its password and the team invitation is accepted with it", async () => {
    const plan = await createPlan('InvitedOwner', {});
    const team = await registerAndLogin(api, 'teamfirst');
    const subdomain = uniqueId('invown');
    const email = `${subdomain}@example.com`;
    const invited = await api.post('/v1/account/team/').set(bearer(team.token)).send({ email });
    expect(invited.status).toBe(201);
    const res = await api.post('/api/saas/tenants').set(bearer(admin)).send({
      company_name: 'Invited Owner',
      email,
      first_name: 'I',
      last_name: 'O',
      plan_id: plan.id,
      subdomain,
    });
    expect(res.body.data.owner_invitation_token).toEqual(expect.any(String));
    const accept = (invitation_token: string) =>
      api
        .post('/api/auth/invitations/accept')
        .send({ email, invitation_token, password: 'chosen-password' });
    // the team's token cannot set the password of an account that owns a tenant
    expect((await accept(invited.body.data.invitation_token)).status).toBe(422);
    expect((await accept(res.body.data.owner_invitation_token)).status).toBe(200);
    expect((await accept(invited.body.data.invitation_token)).status).toBe(200);
    expect((await login(api, email, 'chosen-password', team.tenantId)).tenantId).toBe(
      team.tenantId,
    );
  });
});

describe('subscriptions and usage', () => {
  test('when the subscription is read and changed, then the seed fields follow; a trial plan starts a trial', async () => {
    const trial = await createPlan(
      'Trial',
      { customers: 3 },
      { trial_enabled: true, trial_days: 14 },
    );
    const paid = await createPlan('Paid', { customers: 100 }, { billing_cycle: 'yearly' });
    const tenant = await createTenant(trial.id);
    expect(tenant.status).toBe('trial');
    const sub = await api.get(`/api/saas/tenants/${tenant.id}/subscription`).set(bearer(admin));
    expect(sub.body.data).toMatchObject({
      tenant_id: tenant.id,
      plan_id: trial.id,
      plan_name: 'Trial',
      status: 'trial',
      billing_cycle: 'monthly',
    });
    expect(
      new Date(sub.body.data.expires_at).getTime() - new Date(sub.body.data.started_at).getTime(),
    ).toBe(14 * 86_400_000);
    const expires = '2030-02-15T10:30:00Z';
    const changed = await api
      .put(`/api/saas/tenants/${tenant.id}/subscription`)
      .set(bearer(admin))
      .send({ plan_id: paid.id, expires_at: expires });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({
      plan_id: paid.id,
      plan_name: 'Paid',
      billing_cycle: 'yearly',
      expires_at: '2030-02-15T10:30:00.000Z',
    });
    expect(changed.body.data.next_invoice_at).toEqual(expect.any(String));
  });

  test("when a tenant's owner asks, then it sees its own subscription and usage only; /api/saas is otherwise admin-only", async () => {
    const plan = await createPlan('Own', { customers: 10 });
    const tenant = await createTenant(plan.id);
    const other = await createTenant(plan.id);
    const owner = await login(api, tenant.email, 'owner-password');
    expect(
      (await api.get(`/api/saas/tenants/${tenant.id}/subscription`).set(bearer(owner.token)))
        .status,
    ).toBe(200);
    expect(
      (await api.get(`/api/saas/tenants/${tenant.id}/usage`).set(bearer(owner.token))).status,
    ).toBe(200);
    expect(
      (await api.get(`/api/saas/tenants/${other.id}/subscription`).set(bearer(owner.token))).status,
    ).toBe(403);
    for (const [method, path] of [
      ['get', '/api/saas/tenants'],
      ['get', `/api/saas/tenants/${tenant.id}`],
      ['post', '/api/saas/plans'],
      ['put', `/api/saas/tenants/${tenant.id}/subscription`],
      ['delete', `/api/saas/tenants/${tenant.id}`],
    ] as const) {
      const res = await api[method](path).set(bearer(owner.token)).send({});
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    expect((await api.get('/api/saas/tenants')).status).toBe(401);
  });

  test('when usage is reported twice with one event id and invoices are issued, then each is counted once', async () => {
    const plan = await createPlan('Usage', { projects: 50, invoices: 1000 });
    const tenant = await createTenant(plan.id);
    const owner = await login(api, tenant.email, 'owner-password');
    const report = { event_id: 'proj-created-1', metric: 'projects', quantity: 5 };
    expect(
      (await api.post(`/api/saas/tenants/${tenant.id}/usage`).set(bearer(owner.token)).send(report))
        .status,
    ).toBe(201);
    const repeat = await api
      .post(`/api/saas/tenants/${tenant.id}/usage`)
      .set(bearer(owner.token))
      .send(report);
    expect([repeat.status, repeat.body.data]).toEqual([201, { recorded: false }]);
    for (let i = 0; i < 2; i++) {
      expect(
        (await api.post('/api/bills/invoices/').set(bearer(owner.token)).send({ currency: 'USD' }))
          .status,
      ).toBe(201);
    }
    const usage = await eventually(
      async () =>
        (await api.get(`/api/saas/tenants/${tenant.id}/usage`).set(bearer(admin))).body.data,
      (u) => u.invoices?.used === 2,
    );
    expect(usage).toMatchObject({
      projects: { used: 5, limit: 50, percentage: 10 },
      invoices: { used: 2, limit: 1000, percentage: 0.2 },
    });
  });

  test('when a user signs up, then the tenants service lists the new tenant', async () => {
    const s = await registerAndLogin(api, 'signup');
    const seen = await eventually(
      async () => (await api.get(`/api/saas/tenants/${s.tenantId}`).set(bearer(admin))).status,
      (code) => code === 200,
    );
    expect(seen).toBe(200);
  });
});

describe('staff usage and tenant deletion', () => {
  test('when members join and leave, then usage "staff" follows', async () => {
    const plan = await createPlan('Staff', { staff: 10 });
    const tenant = await createTenant(plan.id);
    const owner = await login(api, tenant.email, 'owner-password');
    const staff = () =>
      api
        .get(`/api/saas/tenants/${tenant.id}/usage`)
        .set(bearer(admin))
        .then((r) => r.body.data.staff?.used);
    expect(await eventually(staff, (n) => n === 1)).toBe(1);
    const email = `${uniqueId('m')}@example.com`;
    const invited = await api
      .post('/v1/account/team/')
      .set(bearer(owner.token))
      .send({ email, role: 'member' });
    // an invitee joins (MemberJoined) when accepting the invitation
    const accepted = await api.post('/api/auth/invitations/accept').send({
      email,
      invitation_token: invited.body.data.invitation_token,
      password: 'member-password',
    });
    expect(accepted.status).toBe(200);
    expect(await eventually(staff, (n) => n === 2)).toBe(2);
    await api.delete(`/v1/account/team/${accepted.body.data.id}/`).set(bearer(owner.token));
    expect(await eventually(staff, (n) => n === 1)).toBe(1);
  });

  test('when a tenant with invoices and payments is deleted, then no document of it remains in any database', async () => {
    const plan = await createPlan('Doomed', {});
    const tenant = await createTenant(plan.id);
    const owner = await login(api, tenant.email, 'owner-password');
    const invoice = await api
      .post('/api/bills/invoices/')
      .set(bearer(owner.token))
      .send({
        status: 'unpaid',
        currency: 'USD',
        details: [{ sub_total: '100.00', vat_rate: 10 }],
      });
    expect(invoice.status).toBe(201);
    expect(
      (
        await api.post('/api/payments/payments/').set(bearer(owner.token)).send({
          invoice_master_id: invoice.body.data.id,
          payment_method: 'cash',
          amount: '50.00',
        })
      ).status,
    ).toBe(201);
    expect(
      (await api.post('/api/auth/api-tokens/').set(bearer(owner.token)).send({ name: 'ci' }))
        .status,
    ).toBe(201);
    // pending invitations, of a new e-mail and of another tenant's user, go with the tenant
    const outsider = await registerAndLogin(api, 'doomedinvitee');
    for (const email of [`${uniqueId('doomed')}@example.com`, `${outsider.username}@example.com`])
      expect(
        (await api.post('/v1/account/team/').set(bearer(owner.token)).send({ email })).status,
      ).toBe(201);
    await eventually(
      async () =>
        (await api.get(`/api/bills/invoices/${invoice.body.data.id}/`).set(bearer(owner.token)))
          .body.data.status,
      (s) => s === 'partial',
    );

    expect((await api.delete(`/api/saas/tenants/${tenant.id}`).set(bearer(admin))).status).toBe(
      200,
    );

    const mongo = await MongoClient.connect(MONGO_URL);
    try {
      const leftovers = async () => {
        const found: string[] = [];
        for (const service of ['auth', 'tenants', 'customers', 'billing', 'payments', 'webhooks']) {
          const db = mongo.db(`${platform.dbPrefix}_${service}`);
          for (const { name } of await db.listCollections().toArray()) {
            // the platform's own books (its invoices to the tenant, their ledger entries and
            // projections) are the platform's records, kept; everything of the tenant goes
            const ofTenant = { tenant_id: { $ne: PLATFORM_TENANT_ID } };
            for (const doc of await db.collection(name).find(ofTenant).toArray()) {
              if (JSON.stringify(doc).includes(tenant.id)) found.push(`${service}.${name}`);
            }
          }
        }
        return found;
      };
      expect(await eventually(leftovers, (found) => found.length === 0, 30_000, 500)).toEqual([]);
    } finally {
      await mongo.close();
    }
    // sessions are revoked at every gateway within a second
    await eventually(
      async () => (await api.get('/api/bills/invoices/').set(bearer(owner.token))).status,
      (code) => code === 401,
      2000,
      100,
    );
    expect(
      (
        await api
          .post('/api/auth/login')
          .send({ username: tenant.email, password: 'owner-password' })
      ).status,
    ).toBe(401);
    // a repeat is harmless
    expect((await api.delete(`/api/saas/tenants/${tenant.id}`).set(bearer(admin))).status).toBe(
      404,
    );
  });
});

describe('plan limits', () => {
  test('when a plan allows 2 customers, then the third is 403 plan_limit_reached until the plan is upgraded; usage follows', async () => {
    const small = await createPlan('Small', { customers: 2 });
    const large = await createPlan('Large', { customers: 10 });
    const tenant = await createTenant(small.id);
    const owner = await login(api, tenant.email, 'owner-password');
    const createCustomer = (n: number) =>
      api
        .post('/api/customers/customers/')
        .set(bearer(owner.token))
        .send({ customer_name: `Customer ${n}`, customer_type: 'bw', customer_number: `C-${n}` });
    // right after creation: customers asks tenants for limits its copy does not hold yet
    expect((await createCustomer(1)).status).toBe(201);
    expect((await createCustomer(2)).status).toBe(201);
    const refused = await createCustomer(3);
    expect([refused.status, refused.body.type, refused.body.code]).toEqual([
      403,
      'plan_limit_reached',
      403,
    ]);
    expect(refused.body.error).toBe('Your plan allows 2 customers; upgrade the plan to add more');

    expect(
      (
        await api
          .put(`/api/saas/tenants/${tenant.id}/subscription`)
          .set(bearer(admin))
          .send({ plan_id: large.id })
      ).status,
    ).toBe(200);
    // a refusal is checked with tenants first, so the upgrade counts at once
    const third = await createCustomer(3);
    expect(third.status).toBe(201);
    const usage = await eventually(
      async () =>
        (await api.get(`/api/saas/tenants/${tenant.id}/usage`).set(bearer(admin))).body.data
          .customers,
      (c) => c?.used === 3,
    );
    expect(usage).toEqual({ used: 3, limit: 10, percentage: 30 });
    expect(
      (await api.delete(`/api/customers/customers/${third.body.data.id}/`).set(bearer(owner.token)))
        .status,
    ).toBeLessThan(300);
    const after = await eventually(
      async () =>
        (await api.get(`/api/saas/tenants/${tenant.id}/usage`).set(bearer(admin))).body.data
          .customers,
      (c) => c?.used === 2,
    );
    expect(after).toEqual({ used: 2, limit: 10, percentage: 20 });
  });
});

describe('seed 001 subscriptions', () => {
  test('when the platform grants a plan to an organization by slug, then subscriber and provider lists show it', async () => {
    const premium = await createPlan(`Premium ${uniqueId('p')}`, { customers: 100 });
    const org = await registerAndLogin(api, 'xia');
    const slug = (await api.get('/api/auth/me').set(bearer(org.token))).body.data.tenants[0]
      .slug as string;
    await eventually(
      async () => (await api.get(`/api/saas/tenants/${org.tenantId}`).set(bearer(admin))).status,
      (code) => code === 200,
    );

    const granted = await api
      .post(`/api/profile/platform/plans/${premium.id}/subscriptions`)
      .set(bearer(admin))
      .send({ organization: { slug } });
    expect(granted.status).toBe(201);
    expect(granted.body.data).toMatchObject({
      organization: { id: org.tenantId, slug },
      plan: { id: premium.id, title: premium.name },
      provider: 'platform',
      status: 'active',
    });
    // the plan may also be named by its slug, as seed 001 does ("premium")
    const bySlug = await api
      .post(`/api/profile/platform/plans/${granted.body.data.plan.slug}/subscriptions`)
      .set(bearer(admin))
      .send({ organization: { slug } });
    expect(bySlug.status).toBe(201);

    const mine = await api.get(`/api/profile/${slug}/subscriptions`).set(bearer(org.token));
    expect(mine.body.data).toMatchObject({ count: 1, results: [{ plan: { id: premium.id } }] });
    const stranger = await registerAndLogin(api, 'stranger');
    expect(
      (await api.get(`/api/profile/${slug}/subscriptions`).set(bearer(stranger.token))).status,
    ).toBe(404);

    const active = await api
      .get('/api/profile/platform/subscribers/active?per_page=100')
      .set(bearer(admin));
    expect(
      active.body.data.results.map((r: { organization: { id: string } }) => r.organization.id),
    ).toContain(org.tenantId);
    expect(
      active.body.data.results.map((r: { organization: { id: string } }) => r.organization.id),
    ).not.toContain('ten_platform');
    await api
      .put(`/api/saas/tenants/${org.tenantId}`)
      .set(bearer(admin))
      .send({ status: 'suspended' });
    const churned = await api
      .get('/api/profile/platform/subscribers/churned?per_page=100')
      .set(bearer(admin));
    expect(
      churned.body.data.results.map((r: { organization: { id: string } }) => r.organization.id),
    ).toContain(org.tenantId);

    expect(
      (
        await api
          .post('/api/profile/someone/plans/x/subscriptions')
          .set(bearer(admin))
          .send({ organization: { slug } })
      ).status,
    ).toBe(404);
    expect(
      (
        await api
          .post(`/api/profile/platform/plans/${premium.id}/subscriptions`)
          .set(bearer(admin))
          .send({ organization: { slug: 'no-such-org' } })
      ).status,
    ).toBe(404);
    expect(
      (
        await api
          .post(`/api/profile/platform/plans/${premium.id}/subscriptions`)
          .set(bearer(org.token))
          .send({ organization: { slug } })
      ).status,
    ).toBe(403);
  });
});

describe('expiry', () => {
  test('when a subscription or a trial runs out, then the tenant becomes suspended or inactive, and a new expiry reactivates it', async () => {
    const paid = await createPlan('Expiring', {});
    const trial = await createPlan('ExpiringTrial', {}, { trial_enabled: true, trial_days: 7 });
    const active = await createTenant(paid.id);
    const trialing = await createTenant(trial.id);
    const past = new Date(Date.now() - 60_000).toISOString();
    for (const t of [active, trialing]) {
      expect(
        (
          await api
            .put(`/api/saas/tenants/${t.id}/subscription`)
            .set(bearer(admin))
            .send({ expires_at: past })
        ).status,
      ).toBe(200);
    }
    const statusOf = async (id: string) =>
      (await api.get(`/api/saas/tenants/${id}/subscription`).set(bearer(admin))).body.data
        .status as string;
    expect(
      await eventually(
        () => statusOf(active.id),
        (s) => s !== 'active',
        10_000,
        200,
      ),
    ).toBe('suspended');
    expect(
      await eventually(
        () => statusOf(trialing.id),
        (s) => s !== 'trial',
        10_000,
        200,
      ),
    ).toBe('inactive');
    const renewed = await api
      .put(`/api/saas/tenants/${active.id}/subscription`)
      .set(bearer(admin))
      .send({ expires_at: '2031-01-01T00:00:00Z' });
    expect(renewed.body.data).toMatchObject({
      status: 'active',
      expires_at: '2031-01-01T00:00:00.000Z',
    });
  });
});

describe('billing periods', () => {
  test('when a paid subscription starts, changes plan (then is sent the same plan again) and renews, then one SubscriptionPeriodStarted is published per period', async () => {
    const monthly = await createPlan('Periodic', {}, { price_monthly: '29.00' });
    const yearly = await createPlan(
      'PeriodicYearly',
      {},
      { billing_cycle: 'yearly', price_yearly: '290.00' },
    );
    const tenant = await createTenant(monthly.id);
    expect(
      (
        await api
          .put(`/api/saas/tenants/${tenant.id}/subscription`)
          .set(bearer(admin))
          .send({ plan_id: yearly.id })
      ).status,
    ).toBe(200);
    // the same plan sent again changes nothing: no second plan_changed period
    expect(
      (
        await api
          .put(`/api/saas/tenants/${tenant.id}/subscription`)
          .set(bearer(admin))
          .send({ plan_id: yearly.id })
      ).status,
    ).toBe(200);

    // time passes: the yearly subscription began 25 months ago and was billed through 13 months ago
    const mongo = await MongoClient.connect(MONGO_URL);
    const anchor = new Date(
      Date.UTC(new Date().getUTCFullYear() - 2, new Date().getUTCMonth() - 1, 10),
    );
    const billedThrough = new Date(Date.UTC(anchor.getUTCFullYear() + 1, anchor.getUTCMonth(), 10));
    const tenants = mongo.db(`${platform.dbPrefix}_tenants`).collection('tenants');
    // FerretDB rewrites whole documents, so wait until the outbox relay is done with this one
    await eventually(
      () => tenants.findOne({ _id: tenant.id as never }),
      (doc) => doc?._outbox_pending === false,
    );
    await tenants.updateOne(
      { _id: tenant.id as never },
      { $set: { started_at: anchor, billed_through: billedThrough } },
    );
    await mongo.close();

    const kafka = new Kafka({
      clientId: 'periods-test',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `periods-${uniqueId('g')}`, maxWaitTimeInMs: 100 });
    const periods: {
      reason: string;
      amount_minor: number;
      period_start: string;
      period_end: string;
    }[] = [];
    await consumer.connect();
    await consumer.subscribe({
      topic: `${platform.topicPrefix}ledgerline.tenants`,
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}');
        if (event.type === 'SubscriptionPeriodStarted' && event.tenant_id === tenant.id)
          periods.push(event.data);
      },
    });
    try {
      await eventually(
        async () => periods.length,
        (n) => n >= 3,
        20_000,
        200,
      );
      await new Promise((r) => setTimeout(r, 1500)); // a later sweep must not announce the same period again
      // billed through 13 months ago on a yearly cycle: the periods that began 13 and 1 months ago are due
      expect(periods.map((p) => [p.reason, p.amount_minor])).toEqual([
        ['started', 2900],
        ['plan_changed', 29000],
        ['renewed', 29000],
        ['renewed', 29000],
      ]);
      const day = (years: number) =>
        new Date(Date.UTC(anchor.getUTCFullYear() + years, anchor.getUTCMonth(), 10))
          .toISOString()
          .slice(0, 10);
      expect(
        periods.slice(2).map((p) => [p.period_start.slice(0, 10), p.period_end.slice(0, 10)]),
      ).toEqual([
        [day(1), day(2)],
        [day(2), day(3)],
      ]);
    } finally {
      await consumer.disconnect();
    }
  });
});

describe('plan limits in billing and auth', () => {
  test('when a plan allows 2 staff, then a pending invitation takes a place until it is revoked', async () => {
    const plan = await createPlan('Pair', { staff: 2 });
    const tenant = await createTenant(plan.id);
    const owner = await login(api, tenant.email, 'owner-password');
    const invite = () =>
      api
        .post('/v1/account/team/')
        .set(bearer(owner.token))
        .send({ email: `${uniqueId('p')}@example.com` });
    const pendingIds = async () =>
      (
        (await api.get('/v1/account/team/').set(bearer(owner.token))).body.data.results as {
          id: string;
        }[]
      )
        .map((m) => m.id)
        .filter((id) => id.startsWith('inv_'));
    // owner + one pending invitation fill the plan at once (auth asks tenants for the limit)
    expect((await invite()).status).toBe(201);
    expect((await invite()).status).toBe(403);
    for (const id of await pendingIds())
      expect((await api.delete(`/v1/account/team/${id}/`).set(bearer(owner.token))).status).toBe(
        200,
      );
    expect((await invite()).status).toBe(201);
    const refused = await invite();
    expect([refused.status, refused.body.type]).toEqual([403, 'plan_limit_reached']);
    const [pending] = await pendingIds();
    await api.delete(`/v1/account/team/${pending}/`).set(bearer(owner.token));
    expect((await invite()).status).toBe(201);
  });

  test('when a plan allows 1 invoice and 1 staff member, then billing refuses the second invoice and auth the first invitation', async () => {
    const tight = await createPlan('Tight', { invoices: 1, staff: 1 });
    const tenant = await createTenant(tight.id);
    const owner = await login(api, tenant.email, 'owner-password');
    const invoice = () =>
      api.post('/api/bills/invoices/').set(bearer(owner.token)).send({ currency: 'USD' });
    const invite = () =>
      api
        .post('/v1/account/team/')
        .set(bearer(owner.token))
        .send({ email: `${uniqueId('s')}@example.com` });
    // billing and auth hold the limits from the start (asked of tenants before the event arrives)
    const refusedInvite = await invite();
    expect(refusedInvite.body).toMatchObject({
      type: 'plan_limit_reached',
      error: 'Your plan allows 1 staff; upgrade the plan to add more',
    });
    expect((await invoice()).status).toBe(201);
    const refused = await invoice();
    expect([refused.status, refused.body.type]).toEqual([403, 'plan_limit_reached']);
    const count = (await api.get('/api/bills/invoices/').set(bearer(owner.token))).body.data
      .count as number;
    expect(count).toBe(1);
    expect((await invoice()).status).toBe(403);
    expect((await api.get('/api/bills/invoices/').set(bearer(owner.token))).body.data.count).toBe(
      count,
    );
  });
});
