import type { Shape } from './shape';
import type { Step } from './runner';

/** The platform admin of BRIEF.md (the platform tenant's owner). */
const ADMIN = { username: 'admin', password: 'ledgerline-admin' };
/** The owner of seed 003's "Acme Corp"; the seed's garbled e-mail replaced by a real address. */
export const ACME_OWNER = { email: 'john.doe@example.com', password: 'acme-owner-password' };

const PLAN: Shape = {
  id: 'string',
  name: 'string',
  price_monthly: 'money',
  price_yearly: 'money',
  billing_cycle: 'string',
  is_popular: 'boolean',
  trial_enabled: 'boolean',
  limits: 'object',
};
const TENANT: Shape = {
  id: 'string',
  company_name: 'string',
  domain: 'string',
  plan: 'string|null',
  status: 'string',
  created_at: 'datetime',
};
const METRIC: Shape = { used: 'number', limit: 'number|null' };
const USAGE_METRIC: Shape = { ...METRIC, percentage: 'number|null' };
const inOneYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

export const DISCOVERY_AND_SIGN_UP: Step[] = [
  {
    seed: '001',
    method: 'GET',
    path: '/api',
    status: 200,
    then: 'the API version is answered without a token',
    shape: { name: 'string', version: 'string' },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/docs/',
    status: 200,
    raw: true,
    then: 'the human API documentation is served',
    check: (_d, _c, answer) => {
      expect(answer.headers['content-type']).toMatch(/text\/html/);
    },
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth/register',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    // the seed's curl body, byte for byte
    body: '{"username": "joe1", "password": "yoyo", "email": "joe+1@example.com", "full_name": "Joe Card1", "type": "personal"}',
    status: 201,
    then: 'joe1 is registered with a personal profile he manages',
    shape: {
      id: 'string',
      username: 'string',
      email: 'string',
      full_name: 'string',
      tenant: { id: 'string', slug: 'string', role: 'string' },
    },
    check: (data) =>
      expect(data).toMatchObject({
        username: 'joe1',
        email: 'joe+1@example.com',
        full_name: 'Joe Card1',
        tenant: { slug: 'joe1', role: 'owner' },
      }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth/register',
    body: {
      username: 'xia',
      password: 'yoyo',
      email: 'xia@example.com',
      full_name: 'Xia',
      type: 'personal',
    },
    status: 201,
    then: 'xia, the user of the next seed 001 examples, exists',
    check: (data) => expect(data.tenant).toMatchObject({ slug: 'xia', role: 'owner' }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: '{"username": "xia", "password": "yoyo"}',
    status: 200,
    then: "`jq -r .token` finds xia's token at the top level",
    shape: { token: 'string', tenant: { id: 'string' }, user: { id: 'string' } },
    check: (data, _c, answer) => expect(answer.body.token).toBe(data.token),
    save: (data, ctx, answer) => {
      ctx.tokens.xia = answer.body.token;
      ctx.ids.xiaTenant = data.tenant.id;
    },
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth',
    body: ADMIN,
    status: 200,
    then: 'the platform admin holds a token',
    save: (_d, ctx, answer) => {
      ctx.tokens.admin = answer.body.token;
    },
  },
];

export const PLANS_AND_TENANTS: Step[] = [
  {
    seed: '003',
    method: 'POST',
    path: '/api/saas/plans',
    as: 'admin',
    // seed 003's listed Starter plan (the seed shows no create body)
    body: {
      name: 'Starter',
      price_monthly: 10.0,
      price_yearly: 100.0,
      billing_cycle: 'monthly',
      is_popular: false,
      trial_enabled: true,
      limits: { customers: 50, invoices: 100, projects: 5, staff: 2 },
    },
    status: 201,
    then: "the plan answers with the seed's fields, prices as money strings, and a message",
    shape: PLAN,
    check: (data, _c, answer) => {
      expect(answer.body.message).toEqual(expect.any(String));
      expect(data).toMatchObject({
        name: 'Starter',
        price_monthly: '10.00',
        price_yearly: '100.00',
        billing_cycle: 'monthly',
        is_popular: false,
        trial_enabled: true,
        limits: { customers: 50, invoices: 100, projects: 5, staff: 2 },
      });
    },
    save: (data, ctx) => {
      ctx.ids.starter = data.id;
    },
  },
  {
    seed: '003',
    method: 'POST',
    path: '/api/saas/plans',
    as: 'admin',
    // the plan of seed 003's tenant examples; seed 000's 29.00 invoice and 100 monthly credits
    body: {
      name: 'Professional',
      price_monthly: '29.00',
      price_yearly: '290.00',
      billing_cycle: 'monthly',
      trial_enabled: false,
      limits: {
        customers: 500,
        invoices: 1000,
        projects: 50,
        staff: 10,
        estimates: 200,
        contracts: 50,
        tasks: 500,
        credits: 100,
      },
    },
    status: 201,
    then: 'the Professional plan exists',
    check: (data) => expect(data).toMatchObject({ name: 'Professional', price_monthly: '29.00' }),
    save: (data, ctx) => {
      ctx.ids.professional = data.id;
    },
  },
  {
    seed: '003',
    method: 'POST',
    path: '/api/saas/plans',
    as: 'admin',
    // seed 001 subscribes to and buys the plan "premium" (by slug)
    body: { name: 'Premium', price_monthly: '49.00', price_yearly: '490.00', limits: {} },
    status: 201,
    then: 'the Premium plan of seed 001 exists',
    save: (data, ctx) => {
      ctx.ids.premium = data.id;
    },
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/plans',
    as: 'admin',
    status: 200,
    then: 'data.plans lists every plan with its limits',
    shape: { plans: [PLAN] },
    check: (data, ctx) =>
      expect(data.plans.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining([ctx.ids.starter, ctx.ids.professional, ctx.ids.premium]),
      ),
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/plans/{starter}',
    as: 'admin',
    status: 200,
    then: 'one plan is read',
    shape: PLAN,
    check: (data) => expect(data.name).toBe('Starter'),
  },
  {
    seed: '003',
    method: 'PUT',
    path: '/api/saas/plans/{starter}',
    as: 'admin',
    body: { is_popular: true, price_monthly: 12.5 },
    status: 200,
    then: 'the change reads back, the price as a money string',
    shape: PLAN,
    check: (data) => expect(data).toMatchObject({ is_popular: true, price_monthly: '12.50' }),
  },
  {
    seed: '003',
    method: 'DELETE',
    path: '/api/saas/plans/{starter}',
    as: 'admin',
    status: 200,
    then: 'a plan nobody uses is deleted',
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/plans/{starter}',
    as: 'admin',
    status: 404,
    then: 'the deleted plan is gone',
  },
  {
    seed: '003',
    method: 'POST',
    path: '/api/saas/tenants',
    as: 'admin',
    // the seed's curl body as written: its e-mail is an obfuscation artefact, not an address
    body: {
      company_name: 'Acme Corp',
      email: '[email protected]',
      first_name: 'John',
      last_name: 'Doe',
      plan_id: 2,
      subdomain: 'acme',
    },
    status: 422,
    then: 'the garbled e-mail is refused and nothing is created',
    check: (_d, _c, answer) =>
      expect(answer.body.details).toContainEqual(expect.objectContaining({ field: 'email' })),
  },
  {
    seed: '003',
    method: 'POST',
    path: '/api/saas/tenants',
    as: 'admin',
    body: (ctx) => ({
      company_name: 'Acme Corp',
      email: ACME_OWNER.email,
      first_name: 'John',
      last_name: 'Doe',
      plan_id: ctx.ids.professional,
      subdomain: 'acme',
      password: ACME_OWNER.password,
    }),
    status: 201,
    then: 'Acme Corp is created on its plan, active, with its domain and a message',
    shape: TENANT,
    check: (data, _c, answer) => {
      expect(answer.body.message).toEqual(expect.any(String));
      expect(data).toMatchObject({
        company_name: 'Acme Corp',
        plan: 'Professional',
        status: 'active',
        domain: expect.stringMatching(/^acme\./),
      });
    },
    save: (data, ctx) => {
      ctx.ids.acme = data.id;
    },
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/tenants?page=1&per_page=25&status=active',
    as: 'admin',
    status: 200,
    then: "data.tenants, total, page and per_page answer as the seed's example",
    shape: { tenants: [TENANT], total: 'int', page: 'int', per_page: 'int' },
    check: (data, ctx) => {
      expect(data).toMatchObject({ page: 1, per_page: 25 });
      expect(data.tenants.find((t: { id: string }) => t.id === ctx.ids.acme)).toMatchObject({
        company_name: 'Acme Corp',
        plan: 'Professional',
        status: 'active',
      });
    },
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/tenants/{acme}',
    as: 'admin',
    // the owner counts as staff once auth's MemberJoined has been delivered
    until: (a) => a.body?.data?.usage?.staff?.used === 1,
    status: 200,
    then: 'the tenant reads with its plan and its usage against the limits',
    shape: {
      ...TENANT,
      plan_id: 'string',
      plan_name: 'string',
      expires_at: 'datetime|null',
      usage: { customers: METRIC, invoices: METRIC, projects: METRIC, staff: METRIC },
    },
    check: (data, ctx) =>
      expect(data).toMatchObject({
        id: ctx.ids.acme,
        plan_id: ctx.ids.professional,
        plan_name: 'Professional',
        usage: {
          customers: { used: 0, limit: 500 },
          invoices: { used: 0, limit: 1000 },
          projects: { used: 0, limit: 50 },
          staff: { used: 1, limit: 10 },
        },
      }),
  },
  {
    seed: '003',
    method: 'PUT',
    path: '/api/saas/tenants/{acme}',
    as: 'admin',
    body: (ctx) => ({ company_name: 'Acme Corp', plan_id: ctx.ids.professional, status: 'active' }),
    status: 200,
    then: 'the tenant answers with the fields sent',
    shape: TENANT,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        company_name: 'Acme Corp',
        plan_id: ctx.ids.professional,
        status: 'active',
      }),
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/tenants/{acme}/subscription',
    as: 'admin',
    status: 200,
    then: "the subscription has the seed's fields",
    shape: {
      tenant_id: 'string',
      plan_id: 'string',
      plan_name: 'string',
      status: 'string',
      started_at: 'datetime',
      expires_at: 'datetime|null',
      next_invoice_at: 'datetime|null',
      billing_cycle: 'string',
    },
    check: (data, ctx) =>
      expect(data).toMatchObject({
        tenant_id: ctx.ids.acme,
        plan_id: ctx.ids.professional,
        plan_name: 'Professional',
        status: 'active',
        billing_cycle: 'monthly',
        next_invoice_at: expect.any(String),
      }),
  },
  {
    seed: '003',
    method: 'PUT',
    path: '/api/saas/tenants/{acme}/subscription',
    as: 'admin',
    body: (ctx) => {
      ctx.ids.acmeExpiry = inOneYear();
      return { plan_id: ctx.ids.professional, expires_at: ctx.ids.acmeExpiry };
    },
    status: 200,
    then: 'the new expiry reads back',
    check: (data, ctx) => expect(Date.parse(data.expires_at)).toBe(Date.parse(ctx.ids.acmeExpiry!)),
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/tenants/{acme}/usage',
    as: 'admin',
    status: 200,
    then: 'every limited metric answers used, limit and percentage',
    shape: {
      customers: USAGE_METRIC,
      invoices: USAGE_METRIC,
      projects: USAGE_METRIC,
      staff: USAGE_METRIC,
      estimates: USAGE_METRIC,
      contracts: USAGE_METRIC,
      tasks: USAGE_METRIC,
    },
    check: (data) =>
      expect(data).toMatchObject({
        staff: { used: 1, limit: 10, percentage: 10 },
        estimates: { used: 0, limit: 200, percentage: 0 },
      }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth',
    body: { username: ACME_OWNER.email, password: ACME_OWNER.password },
    status: 200,
    then: "Acme's owner, provisioned by the tenant creation, logs in to Acme",
    check: (data, ctx) => expect(data.tenant).toMatchObject({ id: ctx.ids.acme, role: 'owner' }),
    save: (_d, ctx, answer) => {
      ctx.tokens.acme = answer.body.token;
    },
  },
];
