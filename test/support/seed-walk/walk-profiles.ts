import type { Shape } from './shape';
import type { Step } from './runner';

/**
 * Seed 001's profiles and subscriptions: xia's profiles, the provider cowork (donny's
 * organization) granting its plan premium to xia, and the platform as a provider of seed 003's plans.
 */

const PROFILE_SUBSCRIPTION: Shape = {
  organization: { id: 'string', slug: 'string', printable_name: 'string' },
  plan: { id: 'string|null', slug: 'string|null', title: 'string|null' },
  provider: 'string',
  status: 'string',
  created_at: 'datetime',
  ends_at: 'datetime|null',
};

const PROVIDER_PLAN: Shape = {
  id: 'string',
  provider: 'string',
  code: 'string',
  slug: 'string',
  title: 'string',
  version: 'int',
  currency: 'string',
  interval: 'string',
  charges: 'array',
};
const PROVIDER_SUBSCRIPTION: Shape = {
  ...PROFILE_SUBSCRIPTION,
  id: 'string',
  seats: 'int',
  plan_version: 'int',
  trial_ends_at: 'datetime|null',
  current_period_start: 'datetime',
  current_period_end: 'datetime',
  cancel_at_period_end: 'boolean',
};

export const PROFILES_AND_SUBSCRIPTIONS: Step[] = [
  {
    seed: '001',
    method: 'POST',
    path: '/api/users/xia/profiles',
    as: 'xia',
    body: { slug: 'myproject', full_name: 'My Project' },
    status: 201,
    then: 'xia manages the new organization profile',
    shape: { id: 'string', slug: 'string', full_name: 'string', type: 'string' },
    check: (data) =>
      expect(data).toMatchObject({
        slug: 'myproject',
        full_name: 'My Project',
        type: 'organization',
        role: 'owner',
      }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/accounts/profiles',
    as: 'xia',
    body: { email: 'xia@locahost.localdomain', full_name: 'Joey Black' },
    status: 201,
    then: 'a shadow profile with no manager exists',
    shape: { id: 'string', slug: 'string', full_name: 'string', email: 'string' },
    check: (data) =>
      expect(data).toMatchObject({
        slug: 'joey-black',
        full_name: 'Joey Black',
        email: 'xia@locahost.localdomain',
        type: 'shadow',
        role: null,
      }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth/register',
    // seed 001's registration with type organization, for the provider of its grant example
    body: {
      username: 'donny',
      password: 'yoyo',
      email: 'donny@example.com',
      full_name: 'Donny',
      type: 'organization',
      organization_name: 'cowork',
    },
    status: 201,
    then: "donny manages the organization cowork, seed 001's provider",
    check: (data) => expect(data.tenant).toMatchObject({ slug: 'cowork', role: 'owner' }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/auth',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: '{"username": "donny", "password": "yoyo"}',
    status: 200,
    then: "`jq -r .token` finds donny's token, cowork's manager",
    save: (_d, ctx, answer) => {
      ctx.tokens.donny = answer.body.token;
    },
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/profile/cowork/plans',
    as: 'donny',
    extra: 'seed 001 "A provider must create a plan" gives no path or body',
    // DjaoDjin's plan fields (seed 001's product): slug, title, period_type, unit, period_amount
    body: {
      slug: 'premium',
      title: 'Premium',
      period_type: 'monthly',
      unit: 'usd',
      period_amount: 4900,
    },
    // tenants learns of cowork from auth's event
    until: (a) => a.status !== 404,
    status: 201,
    then: 'cowork has the plan premium, version 1, a flat 49.00 USD a month',
    shape: PROVIDER_PLAN,
    check: (data) =>
      expect(data).toMatchObject({
        provider: 'cowork',
        code: 'premium',
        title: 'Premium',
        currency: 'USD',
        interval: 'month',
        version: 1,
        charges: [{ kind: 'flat', code: 'base', amount: '49.00' }],
      }),
    save: (data, ctx) => {
      ctx.ids.coworkPremium = data.id;
    },
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/profile/cowork/plans/premium/subscriptions',
    as: 'donny',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: '{"organization": {"slug": "xia"}}',
    // tenants learns of xia from auth's event; a 404 grants nothing
    until: (a) => a.status !== 404,
    status: 201,
    then: "cowork's manager grants xia the plan premium",
    shape: PROVIDER_SUBSCRIPTION,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        organization: { id: ctx.ids.xiaTenant, slug: 'xia' },
        plan: { id: ctx.ids.coworkPremium, slug: 'premium', title: 'Premium' },
        provider: 'cowork',
        status: 'active',
        plan_version: 1,
      }),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/profile/cowork/subscribers/active',
    as: 'donny',
    extra: 'seed 001 "Lists active subscriptions" of the provider cowork',
    status: 200,
    then: "xia is cowork's active subscriber",
    shape: { results: [PROVIDER_SUBSCRIPTION], count: 'int', page: 'int', per_page: 'int' },
    check: (data) =>
      expect(
        data.results.map((r: { organization: { slug: string } }) => r.organization.slug),
      ).toEqual(['xia']),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/profile/platform/plans/premium/subscriptions',
    as: 'admin',
    extra: "seed 001's grant with the platform as the provider",
    body: { organization: { slug: 'xia' } },
    // tenants learns of xia's profile from auth's event
    until: (a) => a.status !== 404,
    status: 201,
    then: 'xia subscribes to the platform plan named by its slug',
    shape: PROFILE_SUBSCRIPTION,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        organization: { id: ctx.ids.xiaTenant, slug: 'xia' },
        plan: { id: ctx.ids.premium, slug: 'premium', title: 'Premium' },
        provider: 'platform',
        status: 'active',
      }),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/profile/xia/subscriptions',
    as: 'xia',
    extra: 'seed 001 "Lists a subscriber subscriptions" gives no path',
    status: 200,
    then: "xia's subscriptions list the platform's Premium plan and cowork's premium",
    shape: { results: [PROFILE_SUBSCRIPTION], count: 'int' },
    check: (data) =>
      expect(
        data.results.map((r: { provider: string; plan: { slug: string } }) => [
          r.provider,
          r.plan.slug,
        ]),
      ).toEqual([
        ['platform', 'premium'],
        ['cowork', 'premium'],
      ]),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/profile/platform/subscribers',
    as: 'admin',
    extra: 'seed 001 "Lists subscribers for a provider" gives no path',
    status: 200,
    then: 'the provider lists Acme and xia among its subscribers',
    shape: { results: [PROFILE_SUBSCRIPTION], count: 'int', page: 'int', per_page: 'int' },
    check: (data, ctx) =>
      expect(data.results.map((r: { organization: { id: string } }) => r.organization.id)).toEqual(
        expect.arrayContaining([ctx.ids.acme, ctx.ids.xiaTenant]),
      ),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/profile/platform/subscribers/active',
    as: 'admin',
    extra: 'seed 001 "Lists active subscriptions" gives no path',
    status: 200,
    then: 'Acme is an active subscriber',
    shape: { results: [PROFILE_SUBSCRIPTION], count: 'int' },
    check: (data, ctx) =>
      expect(
        data.results.map((r: { organization: { id: string } }) => r.organization.id),
      ).toContain(ctx.ids.acme),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/profile/platform/subscribers/churned',
    as: 'admin',
    extra: 'seed 001 "Lists churned subscriptions" gives no path',
    status: 200,
    then: 'nobody has churned yet',
    shape: { results: 'array', count: 'int' },
    check: (data) => expect(data.count).toBe(0),
  },
];
