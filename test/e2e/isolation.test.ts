import request from 'supertest';
import type { z } from 'zod';
import { PUBLIC_ROUTES } from '@ledgerline/contracts';
import { TEST_PASSWORD, login, type Api } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { eventually, uniqueId } from '../support/infra';
import { call, inBatches, must, type Answer, type Method } from '../support/isolation/http';
import { fingerprint, ghostOf, leakedSecrets, snapshotPaths } from '../support/isolation/leaks';
import {
  forgedAudit,
  junkLike,
  refusedCases,
  storedCases,
  updateCases,
  withoutChildTrace,
} from '../support/isolation/mass-assignment';
import { referenceAttacks, swapSecrets } from '../support/isolation/references';
import { DEFAULT_EXPECT, FILTER_IDS, ROUTE_ATTACKS } from '../support/isolation/routes';
import { buildWorld, settle, type Catalogue, type World } from '../support/isolation/world';

/**
 * Issue 8, isolation: tenant A, a registered organisation with one of everything, attacks tenant
 * B's objects through every documented route (taken from the gateway's own OpenAPI document), by
 * list filters and by references in bodies; then B re-reads everything. Mass assignment: server
 * fields sent in bodies are refused or ignored.
 */
jest.setTimeout(180_000);

let platform: RunningPlatform;
let api: Api;
let catalogue: Catalogue;
let a: World;
let b: World;
/** The gateway's OpenAPI document, flattened: what must be attacked. */
let documented: { path: string; method: Method; query: string[] }[];
const before = new Map<string, unknown>();

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];
const templated = () => documented.filter((r) => r.path.includes('{'));
const fill = (template: string, params: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
const mapValues = (o: Record<string, string>, f: (v: string) => string) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
const isErrorEnvelope = (res: Answer) =>
  res.body?.success === false &&
  res.body?.code === res.status &&
  typeof res.body?.type === 'string' &&
  typeof res.body?.request_id === 'string';

beforeAll(async () => {
  platform = await startTestPlatform('isolation', { basePort: 7000, gatewayPort: 7080 });
  api = request(platform.gatewayUrl);
  const admin = await api
    .post('/api/auth')
    .send({ username: 'admin', password: 'ledgerline-admin' });
  expect(admin.status).toBe(200);
  const adminToken = admin.body.token as string;
  const [plan, pack] = await Promise.all([
    must(api, adminToken, 'post', '/api/saas/plans', {
      name: `Isolation Plan ${uniqueId('p')}`,
      price_monthly: '10.00',
      price_yearly: '100.00',
      limits: {},
    }),
    must(api, adminToken, 'post', '/v1/billing/credit-packages', {
      name: `Isolation Pack ${uniqueId('c')}`,
      credits: 100,
      price: '5.00',
    }),
  ]);
  catalogue = { adminToken, planId: plan.id, creditPackageId: pack.id };
  [a, b] = await Promise.all([
    buildWorld(api, 'isoa', catalogue, 1),
    buildWorld(api, 'isob', catalogue, 2),
  ]);
  await Promise.all([settle(api, a), settle(api, b)]);

  const doc = (await api.get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
  };
  documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
    METHODS.filter((m) => ops[m]).map((method) => ({
      path,
      method,
      query: (ops[method]?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
  for (const path of snapshotPaths(b)) {
    before.set(path, await must(api, b.session.token, 'get', path));
  }
});

afterAll(async () => {
  await platform?.stop();
});

describe("tenant A against tenant B's objects", () => {
  test('when the API document is read, then every path parameter and every id filter has an attack', () => {
    expect(templated().length).toBeGreaterThan(50);
    const unmapped = templated()
      .filter((r) => !ROUTE_ATTACKS[r.path])
      .map((r) => r.path);
    expect(unmapped).toEqual([]);
    const unmappedFilters = documented
      .flatMap((r) => r.query)
      .filter((q) => /_id$/.test(q) && !FILTER_IDS[q]);
    expect(unmappedFilters).toEqual([]);
    // an entry for a route that no longer exists would hide a rename
    const stale = Object.keys(ROUTE_ATTACKS).filter((p) => !templated().some((r) => r.path === p));
    expect(stale).toEqual([]);
  });

  test("when A calls every documented route and method with B's ids, then none succeeds, none tells B's object from one that never existed, and no answer carries B's data", async () => {
    const jobs = templated().flatMap((r) => {
      const attack = ROUTE_ATTACKS[r.path];
      if (!attack) return [];
      return attack.variants(b, catalogue).map((params) => async () => {
        const body = ['get', 'delete'].includes(r.method)
          ? undefined
          : attack.body?.(a, b, catalogue);
        const url = fill(r.path, params);
        const ghostParams = mapValues(params, (v) => ghostOf(v, b));
        const [res, ghost] = await Promise.all([
          call(api, a.session.token, r.method, url, body),
          // a catalogue route names no B object: its answer is A's own, nothing to compare
          url === fill(r.path, ghostParams)
            ? null
            : call(api, a.session.token, r.method, fill(r.path, ghostParams), body),
        ]);
        const allowed = attack.expect?.[r.method] ?? DEFAULT_EXPECT;
        return {
          route: `${r.method.toUpperCase()} ${url}`,
          status: res.status,
          allowed: allowed.includes(res.status),
          envelope: res.status < 300 || isErrorEnvelope(res),
          sameAsGhost:
            ghost === null ||
            JSON.stringify(fingerprint(ghost)) === JSON.stringify(fingerprint(res)),
          leaked: leakedSecrets(res.text, b),
        };
      });
    });
    const outcomes = await inBatches(jobs, 6);
    const wrong = outcomes.filter(
      (o) => !o.allowed || !o.envelope || !o.sameAsGhost || o.leaked.length,
    );
    expect(wrong).toEqual([]);
    // every documented method of every templated path ran at least once
    expect(outcomes.length).toBeGreaterThanOrEqual(templated().length);
  });

  test("when A reads its own reports and dashboards, then every figure is A's alone (B's money is twice A's)", async () => {
    const t = a.session.token;
    const [byCustomer, paymentHistory, invoiceHistory, customers, usage, revenue] =
      await Promise.all([
        must(api, t, 'get', '/api/payments/payments/by_customer'),
        must(api, t, 'get', '/api/payments/payments/history'),
        must(api, t, 'get', '/api/bills/invoices/history'),
        must(api, t, 'get', '/api/customers/customers'),
        must(api, t, 'get', `/api/saas/tenants/${a.session.tenantId}/usage`),
        call(api, t, 'get', `/api/metrics/${a.session.tenantId}/revenue`),
      ]);
    expect(byCustomer).toEqual([
      expect.objectContaining({ customer_id: a.customer, total_received: '150.00' }),
    ]);
    expect(paymentHistory.totals).toMatchObject({ currency: 'USD', total_received: '150.00' });
    expect(invoiceHistory.totals).toMatchObject({
      currency: 'USD',
      total_billed: '550.00',
      total_paid: '150.00',
      count: 1,
    });
    expect(customers.count).toBe(1);
    expect(usage.customers).toMatchObject({ used: 1 });
    expect([revenue.status, leakedSecrets(revenue.text, b)]).toEqual([200, []]);
  });

  test("when A reads every list and page without a path parameter, also filtered by B's ids or marker, then no answer carries B's data and a filter on B's object answers as one on an object that never existed", async () => {
    // every documented read without a path parameter: lists, balances, carts, settings, teams
    const lists = documented.filter((r) => r.method === 'get' && !r.path.includes('{'));
    const jobs = lists.flatMap((r) => {
      const filters: Record<string, (w: World) => string[]> = {
        ...Object.fromEntries(
          Object.entries(FILTER_IDS).filter(([name]) => r.query.includes(name)),
        ),
      };
      const queries: Record<string, string>[] = [
        {},
        { search: b.marker },
        // a tenant is never taken from the query string
        { tenant_id: b.session.tenantId },
        ...Object.entries(filters).flatMap(([name, idsOf]) =>
          idsOf(b).map((id) => ({ [name]: id })),
        ),
      ];
      return queries.map((q) => async () => {
        const url = `${r.path}?${new URLSearchParams(q).toString()}`;
        const ghostUrl = `${r.path}?${new URLSearchParams(mapValues(q, (v) => ghostOf(v, b))).toString()}`;
        const [res, ghost] = await Promise.all([
          call(api, a.session.token, 'get', url),
          url === ghostUrl ? null : call(api, a.session.token, 'get', ghostUrl),
        ]);
        return {
          route: url,
          status: res.status,
          // 200, 404 for a filter naming a parent that does not exist (as for a ghost id), 422
          // where the list needs a filter it was not given, or 403 from a platform-admin list
          allowed:
            [200, 404, 422].includes(res.status) ||
            (res.status === 403 && r.path.startsWith('/api/saas/')),
          sameAsGhost:
            ghost === null ||
            // a search that is not implemented on a list answers A's whole list: still A's only
            'search' in q ||
            JSON.stringify(fingerprint(ghost)) === JSON.stringify(fingerprint(res)),
          leaked: leakedSecrets(res.text, b),
        };
      });
    });
    const outcomes = await inBatches(jobs, 6);
    expect(outcomes.filter((o) => !o.allowed || !o.sameAsGhost || o.leaked.length)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(60);
  });

  test("when A's writes name B's objects in their bodies, then each is refused like a never-existing id and A's own objects keep their links", async () => {
    const t = a.session.token;
    const scratch = await must(api, t, 'post', '/api/bills/invoices', {
      customer_id: a.customer,
      details: [{ sub_total: '1.00' }],
    });
    const attacks = referenceAttacks(a, b, scratch.id);
    const outcomes = await inBatches(
      attacks.map((attack) => async () => {
        const ghostBody = swapSecrets(attack.body, b, (v) => ghostOf(v, b));
        const res = await call(api, t, attack.method, attack.path, attack.body);
        const ghost = await call(api, t, attack.method, attack.path, ghostBody);
        const refused = [403, 404, 409, 422].includes(res.status) && isErrorEnvelope(res);
        return {
          route: `${attack.method.toUpperCase()} ${attack.path} ${JSON.stringify(attack.body)}`,
          status: res.status,
          refused,
          sameAsGhost: JSON.stringify(fingerprint(ghost)) === JSON.stringify(fingerprint(res)),
          leaked: leakedSecrets(res.text, b),
        };
      }),
      4,
    );
    expect(outcomes.filter((o) => !o.refused || !o.sameAsGhost || o.leaked.length)).toEqual([]);

    // A's own credentials do not open B's tenant
    const crossLogin = await api.post('/api/auth/login').send({
      username: a.session.username,
      password: TEST_PASSWORD,
      tenant_id: b.session.tenantId,
    });
    expect([crossLogin.status, leakedSecrets(crossLogin.text, b)]).toEqual([
      expect.any(Number),
      [],
    ]);
    expect([401, 403, 404]).toContain(crossLogin.status);

    const own = await Promise.all([
      must(api, t, 'get', `/api/customers/customers/${a.customer}`),
      must(api, t, 'get', `/api/customers/entitlements/${a.entitlement}`),
      must(api, t, 'get', `/api/customers/entitlement-details/${a.detail}`),
      must(api, t, 'get', `/api/packages/package-pricings/${a.pricing}`),
      must(api, t, 'get', `/api/utility/utility-details/${a.utilityDetail}`),
      must(api, t, 'get', `/api/bills/invoice-details/${a.draftLine}`),
    ]);
    expect([
      own[0].kam_id,
      own[1].customer_master_id,
      own[2].cust_entitlement_id,
      own[3].package_master_id,
      own[4].utility_master_id,
      own[5].invoice_master_id,
    ]).toEqual([a.kam, a.customer, a.entitlement, a.pkg, a.utilityInfo, a.draftInvoice]);
  });

  test("when A calls the services' internal endpoints through the gateway, also with encoded paths, then they are not there", async () => {
    const internal: [string, object][] = [
      [
        '/internal/payments',
        {
          tenant_id: b.session.tenantId,
          invoice_id: b.issuedInvoice,
          amount_minor: 100,
          currency: 'USD',
          payment_method: 'cash',
          idempotency_key: `${a.label}-internal`,
        },
      ],
      [`/internal/tenants/${b.session.tenantId}/owner`, { email: `${a.label}x@example.com` }],
      ['/internal/api-tokens/exchange', { token: 'llt_nothing.nothing' }],
    ];
    const disguises = (path: string) => [
      path,
      `/api/payments/../..${path}`,
      `/api/payments/%2e%2e/%2e%2e${path}`,
      `/api/auth/..%2f..${path}`,
      `/api/customers/customers/..%2F..%2F..${path}`,
    ];
    const outcomes = await inBatches(
      internal.flatMap(([path, body]) =>
        disguises(path).map((url) => async () => {
          const res = await call(api, a.session.token, 'post', url, body);
          // the gateway's "no route" answer may echo the path A sent; anything else of B's is a leak
          const leaked = leakedSecrets(res.text, b).filter((s) => !url.includes(s));
          return { url, status: res.status, leaked };
        }),
      ),
      4,
    );
    expect(outcomes.filter((o) => ![400, 404].includes(o.status) || o.leaked.length)).toEqual([]);
  });

  test("when A reuses B's Idempotency-Key with B's very request, then B's stored answer is not replayed to A", async () => {
    const res = await call(
      api,
      a.session.token,
      'post',
      '/api/payments/payments',
      {
        invoice_master_id: b.issuedInvoice,
        payment_method: 'cash',
        amount: '100.00',
        remarks: `${b.marker}-payment`,
        transaction_id: `${b.marker}-txn`,
      },
      { 'Idempotency-Key': b.paymentKey },
    );
    // A typed B's marker into the body; only B's ids coming back would be a leak
    const ids = leakedSecrets(res.text, b).filter((s) => s !== b.marker);
    expect([res.status, res.body.type, ids]).toEqual([404, 'not_found', []]);
  });

  test('when numbering invoices, then each tenant counts its own (no hint of how many B issued)', async () => {
    const [mine, theirs] = await Promise.all([
      must(api, a.session.token, 'get', `/api/bills/invoices/${a.issuedInvoice}`),
      must(api, b.session.token, 'get', `/api/bills/invoices/${b.issuedInvoice}`),
    ]);
    expect(mine.invoice_number).toBe(theirs.invoice_number);
    // and a customer number B uses is free for A (unique per tenant, no existence oracle)
    const [ac, bc] = await Promise.all([
      must(api, a.session.token, 'get', `/api/customers/customers/${a.customer}`),
      must(api, b.session.token, 'get', `/api/customers/customers/${b.customer}`),
    ]);
    expect(ac.customer_number).toBe(bc.customer_number);
  });
});

describe('mass assignment', () => {
  test('when creates carry server-owned fields (tenant, authors, id, version, totals, statuses, numbers), then they are ignored and the stored object shows the server values', async () => {
    const t = a.session.token;
    const cases = storedCases(a, b, catalogue);
    const results = await inBatches(
      cases.map((c) => async () => {
        const res = await call(api, t, c.method, c.path, c.body);
        const created = res.body?.data ?? {};
        const readPath = c.readBack?.(created) ?? `${c.path}/${created.id}`;
        const stored = res.status < 300 ? (await call(api, t, 'get', readPath)).body?.data : null;
        const fromB =
          res.status < 300 && !c.readBack
            ? (await call(api, b.session.token, 'get', readPath)).status
            : 404;
        return { c, res, created, stored, fromB };
      }),
      4,
    );
    for (const { c, res, created, stored, fromB } of results) {
      expect([c.name, res.status, res.body?.error]).toEqual([c.name, c.status ?? 201, undefined]);
      expect([c.name, stored]).toEqual([c.name, expect.objectContaining(c.stored(created))]);
      if (c.answer)
        expect([c.name, created]).toEqual([c.name, expect.objectContaining(c.answer(created))]);
      // stored in A's tenant: B cannot see it, and it is not the forged identity
      expect([c.name, fromB]).toEqual([c.name, 404]);
      expect([c.name, created.id]).not.toEqual([c.name, 'forged-id']);
      if (c.audited !== false) {
        expect([c.name, stored.created_by, stored.updated_by]).toEqual([
          c.name,
          a.session.userId,
          a.session.userId,
        ]);
        expect([c.name, stored.created_at]).not.toEqual([c.name, '2001-01-01T00:00:00.000Z']);
      }
      expect([c.name, leakedSecrets(JSON.stringify(stored), b)]).toEqual([c.name, []]);
    }

    // the invoice created with a forged number gets the next of A's own when it is issued
    const forged = results.find((r) => r.c.name === 'invoice')?.created;
    const seq = (number: string) => Number(number.replace(/\D/g, ''));
    const listed = await must(api, t, 'get', '/api/bills/invoices?per_page=100');
    const highest = Math.max(
      ...listed.results
        .filter((i: { invoice_number: string | null }) => i.invoice_number)
        .map((i: { invoice_number: string }) => seq(i.invoice_number)),
    );
    const issued = await must(
      api,
      t,
      'post',
      `/api/bills/invoices/${forged.id}/issue`,
      undefined,
      200,
    );
    expect(issued.invoice_number).not.toBe('INV-999999');
    expect(seq(issued.invoice_number)).toBe(highest + 1);
  });

  test('when updates carry every field the view shows but the request does not take, then each keeps its value (or the write is refused)', async () => {
    const t = a.session.token;
    // every documented PATCH of a tenant's own object has a case; the rest are platform admin's
    const adminPatches = [
      '/api/saas/',
      '/v1/billing/credit-packages/',
      '/v1/billing/payment-methods/',
    ];
    // a member's role has no GET by id (the team is read as a list): its forged fields are checked
    // in identity.test.ts, team roles
    const listedOnly = ['/v1/account/team/{id}'];
    const patches = PUBLIC_ROUTES.filter(
      (r) =>
        r.method === 'patch' &&
        !adminPatches.some((p) => r.path.startsWith(p)) &&
        !listedOnly.includes(r.path),
    ).map((r) => r.path);
    expect(patches.filter((p) => !updateCases(a).some((c) => c.template === p))).toEqual([]);

    // the create test's invoice (110.00, issued) and payments (10.00 + 5.00) reach the customer's
    // totals by events: wait for them, or a late one would look like a forged total taking hold
    await eventually(
      () => must(api, t, 'get', `/api/customers/customers/${a.customer}`),
      (c) => c.total_billed === '660.00' && c.total_paid === '165.00',
    );
    const outcomes = await inBatches(
      updateCases(a).map((c) => async () => {
        const spec = PUBLIC_ROUTES.find((r) => r.path === c.template && r.method === 'patch');
        const accepted = Object.keys((spec?.body as z.ZodObject).shape);
        const before = await must(api, t, 'get', c.path);
        const forged = Object.fromEntries(
          Object.entries(before as Record<string, unknown>)
            .filter(([k]) => !accepted.includes(k) && !['updated_at', 'updated_by'].includes(k))
            .map(([k, v]) => [k, junkLike(v)]),
        );
        const res = await call(api, t, 'patch', c.path, {
          ...forgedAudit(b),
          ...forged,
          ...c.legit,
        });
        const after = await must(api, t, 'get', c.path);
        const comparable = (view: Record<string, unknown>, k: string) =>
          JSON.stringify(c.embedded?.includes(k) ? withoutChildTrace(view[k]) : view[k]);
        const changed = Object.keys(forged).filter(
          (k) => comparable(after, k) !== comparable(before, k),
        );
        return { path: c.path, status: res.status, forged: Object.keys(forged).length, changed };
      }),
      // one at a time: views embed each other (an entitlement its details, a line its invoice)
      1,
    );
    expect(
      outcomes.filter((o) => ![200, 422].includes(o.status) || o.changed.length || !o.forged),
    ).toEqual([]);
  });

  test('when a status, amount or tenant field with a closed set of values is forged, then the write is refused with 422 in the error envelope and nothing changes', async () => {
    const t = a.session.token;
    const [draftBefore, paymentBefore] = await Promise.all([
      must(api, t, 'get', `/api/bills/invoices/${a.draftInvoice}`),
      must(api, t, 'get', `/api/payments/payments/${a.payment}`),
    ]);
    const outcomes = await inBatches(
      refusedCases(a).map(([name, method, path, body]) => async () => {
        const res = await call(api, t, method, path, body);
        return [name, res.status, isErrorEnvelope(res) ? res.body.type : res.body];
      }),
      4,
    );
    expect(
      outcomes.filter(([, status, type]) => status !== 422 || type !== 'validation_error'),
    ).toEqual([]);
    const [draftAfter, paymentAfter] = await Promise.all([
      must(api, t, 'get', `/api/bills/invoices/${a.draftInvoice}`),
      must(api, t, 'get', `/api/payments/payments/${a.payment}`),
    ]);
    expect([draftAfter.status, draftAfter.updated_at]).toEqual([
      draftBefore.status,
      draftBefore.updated_at,
    ]);
    expect(paymentAfter).toEqual(paymentBefore);
  });

  test('when account settings, credit usage or a registration carry forged balances, tenants or admin flags, then they are ignored', async () => {
    const t = a.session.token;
    const settingsBefore = await must(api, t, 'get', '/v1/account/settings');
    const settings = await must(api, t, 'patch', '/v1/account/settings', {
      name: 'mass name',
      ...forgedAudit(b),
      credit_balance: 1_000_000,
      slug: 'forged-slug',
    });
    expect(settings).toMatchObject({
      id: a.session.tenantId,
      slug: settingsBefore.slug,
      name: 'mass name',
      credit_balance: settingsBefore.credit_balance,
      created_at: settingsBefore.created_at,
    });

    const balanceBefore = await must(api, t, 'get', '/v1/billing/credits/balance/balance');
    const usage = await call(api, t, 'post', '/v1/billing/credits/usage', {
      operation_type: 'mass',
      credits: 1,
      ...forgedAudit(b),
      transaction_type: 'purchase',
      amount: 1_000_000,
      balance_after: 1_000_000,
      invoice_id: b.purchaseInvoice,
    });
    // A holds no credits: 402; had it some, the write would be a deduction of exactly 1
    expect([201, 402]).toContain(usage.status);
    if (usage.status === 201) {
      expect(usage.body.data.transaction).toMatchObject({ transaction_type: 'usage', amount: -1 });
    }
    const balanceAfter = await must(api, t, 'get', '/v1/billing/credits/balance/balance');
    expect(balanceAfter.credits).toBe(balanceBefore.credits - (usage.status === 201 ? 1 : 0));

    const username = uniqueId('isoforge');
    const reg = await api.post('/api/auth/register').send({
      username,
      password: TEST_PASSWORD,
      email: `${username}@example.com`,
      full_name: 'Forger',
      type: 'organization',
      organization_name: 'Forger Ltd',
      tenant_id: b.session.tenantId,
      tenant: { id: b.session.tenantId, role: 'owner' },
      role: 'owner',
      platform_admin: true,
      pa: true,
      is_staff: true,
    });
    expect([reg.status, reg.body.error]).toEqual([201, undefined]);
    expect(reg.body.data.tenant.id).not.toBe(b.session.tenantId);
    const forger = await login(api, username, TEST_PASSWORD);
    const me = await must(api, forger.token, 'get', '/api/auth/me');
    expect(me).toMatchObject({ platform_admin: false, tenant_id: reg.body.data.tenant.id });
    expect(me.tenants.map((x: { id: string }) => x.id)).toEqual([reg.body.data.tenant.id]);
    expect((await call(api, forger.token, 'get', '/api/saas/tenants')).status).toBe(403);

    // an API token created with forged platform flags is an ordinary token of A's tenant
    const token = await must(api, t, 'post', '/api/auth/api-tokens', {
      name: 'flags',
      platform: true,
      pa: true,
      tenant_id: b.session.tenantId,
    });
    const asToken = await must(api, token.token, 'get', `/api/customers/customers/${a.customer}`);
    expect(asToken.id).toBe(a.customer);
    expect(
      (await call(api, token.token, 'get', `/api/customers/customers/${b.customer}`)).status,
    ).toBe(404);
    expect((await call(api, token.token, 'get', '/api/saas/plans')).status).toBe(403);
  });
});

describe('after the attack', () => {
  test('when B reads every object again, then each is exactly as before and nothing is missing', async () => {
    const after = await inBatches(
      snapshotPaths(b).map(
        (path) => async () => [path, await must(api, b.session.token, 'get', path)] as const,
      ),
      6,
    );
    for (const [path, data] of after) expect([path, data]).toEqual([path, before.get(path)]);
  });
});
