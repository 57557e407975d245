import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEvent } from '@ledgerline/contracts';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import { connectMongo } from './mongo';
import { connectRedis } from './redis';
import { redisLocks } from './locks';
import {
  planLimits,
  tenantsPlanLimitsOwner,
  type OwnerPlanLimits,
  type PlanLimitsOwner,
} from './plan-limits';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

let mongo: Connection;
let redis: Redis;
const servers: http.Server[] = [];

beforeAll(async () => {
  mongo = await connectMongo(MONGO_URL, `t_limits_${Date.now().toString(36)}`);
  redis = await connectRedis(REDIS_URL);
});

afterAll(async () => {
  for (const server of servers) server.close();
  await mongo.dropDatabase();
  await mongo.close();
  redis.disconnect();
});

const unique = (label: string) => `${label}_${Math.random().toString(36).slice(2, 10)}`;

/**
 * The tenants service's internal route, served from `answers` (a tenant missing from it answers
 * 500, as a failing tenants would), reached through the real client with its breaker.
 */
function owner(answers: Record<string, Omit<OwnerPlanLimits, 'tenant_id'>>) {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const tenantId = decodeURIComponent(req.url!.split('/')[3]!);
    asked.push(tenantId);
    const answer = answers[tenantId];
    res.writeHead(answer ? 200 : 500, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(answer ? { success: true, data: { tenant_id: tenantId, ...answer } } : {}),
    );
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  const fake: PlanLimitsOwner = {
    current: (tenantId) => {
      const { port } = server.address() as AddressInfo;
      return tenantsPlanLimitsOwner({
        TENANTS_URL: `http://127.0.0.1:${port}`,
        TENANTS_TIMEOUT_MS: 1000,
      }).current(tenantId);
    },
  };
  return { fake, asked, answers };
}

/** A store of created things per tenant, counted the way services count theirs. */
function things() {
  const rows: string[] = [];
  return {
    rows,
    count: async () => rows.length,
    create: (name: string) => async () => {
      await new Promise((r) => setTimeout(r, 5)); // an insert takes a moment: overlap is real
      rows.push(name);
      return name;
    },
  };
}

const planChanged = (tenantId: string, limits: Record<string, number>, revision?: number) =>
  buildEvent('TenantPlanChanged', {
    tenant_id: tenantId,
    correlation_id: 'test',
    data: {
      tenant_id: tenantId,
      plan_id: 'pln_x',
      plan_name: 'X',
      status: 'active',
      limits,
      billing_cycle: 'monthly',
      expires_at: null,
      ...(revision !== undefined && { revision }),
    },
  });

async function outcome<T>(p: Promise<T>): Promise<string> {
  try {
    await p;
    return 'created';
  } catch (err) {
    return (err as { kind?: string }).kind ?? String(err);
  }
}

describe('plan limits', () => {
  test('when the copy has no limits for a new tenant and three creations race on a limit of 2, then the owner is asked and exactly two are created; a deletion frees a place', async () => {
    const tenant = unique('ten');
    const tenants = owner({
      [tenant]: { known: true, status: 'active', limits: { customers: 2 }, revision: 1 },
    });
    const limits = planLimits(mongo, redisLocks(redis), tenants.fake);
    const made = things();
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        outcome(limits.withinLimit(tenant, 'customers', made.count, made.create(`c${n}`))),
      ),
    );
    expect(results.sort()).toEqual(['created', 'created', 'plan_limit_reached']);
    expect(made.rows).toHaveLength(2);
    made.rows.pop();
    await expect(
      limits.withinLimit(tenant, 'customers', made.count, made.create('c4')),
    ).resolves.toBe('c4');
    // asked twice: the miss, and the refusal's check; the answer became the copy for the rest
    expect(tenants.asked).toEqual([tenant, tenant]);
  });

  test('when the copy lacks the tenant and tenants cannot be reached, then the creation is refused with 503 and nothing is created', async () => {
    const tenant = unique('ten');
    const limits = planLimits(mongo, redisLocks(redis), owner({}).fake);
    const made = things();
    expect(
      await outcome(limits.withinLimit(tenant, 'customers', made.count, made.create('a'))),
    ).toBe('service_unavailable');
    const withoutOwner = planLimits(mongo, redisLocks(redis));
    expect(
      await outcome(withoutOwner.withinLimit(tenant, 'customers', made.count, made.create('b'))),
    ).toBe('service_unavailable');
    expect(made.rows).toEqual([]);
  });

  test('when tenants does not know the tenant (a sign-up not consumed yet), then it has no plan and no limit', async () => {
    const tenant = unique('ten');
    const limits = planLimits(
      mongo,
      redisLocks(redis),
      owner({ [tenant]: { known: false, status: 'unknown', limits: {}, revision: 0 } }).fake,
    );
    const made = things();
    expect(await outcome(limits.withinLimit(tenant, 'staff', made.count, made.create('s')))).toBe(
      'created',
    );
    // its first plan arrives with a higher revision and is enforced
    await limits.handlers.TenantPlanChanged(planChanged(tenant, { staff: 1 }, 1));
    expect(await outcome(limits.withinLimit(tenant, 'staff', made.count, made.create('t')))).toBe(
      'plan_limit_reached',
    );
  });

  test('when the copy refuses but the plan was upgraded a moment ago, then the owner is asked and the creation succeeds; the late event of the old plan changes nothing', async () => {
    const tenant = unique('ten');
    const tenants = owner({});
    const limits = planLimits(mongo, redisLocks(redis), tenants.fake);
    await limits.handlers.TenantPlanChanged(planChanged(tenant, { invoices: 1 }, 1));
    const made = things();
    await limits.withinLimit(tenant, 'invoices', made.count, made.create('i1'));
    expect(tenants.asked).toEqual([]); // the copy decided alone below its limit
    tenants.answers[tenant] = {
      known: true,
      status: 'active',
      limits: { invoices: 3 },
      revision: 2,
    };
    const block = await limits.withinLimit(tenant, 'invoices', made.count, made.create('i2+i3'), 2);
    expect(block).toBe('i2+i3');
    await limits.handlers.TenantPlanChanged(planChanged(tenant, { invoices: 1 }, 1)); // redelivered
    expect(
      await outcome(limits.withinLimit(tenant, 'invoices', async () => 2, made.create('x'))),
    ).toBe('created');
  });

  test('when the copy refuses and the answer of tenants is not newer, or tenants cannot be reached, then the refusal stands (403) and nothing is created', async () => {
    const tenant = unique('ten');
    const tenants = owner({
      [tenant]: { known: true, status: 'active', limits: { customers: 5 }, revision: 1 },
    });
    const limits = planLimits(mongo, redisLocks(redis), tenants.fake);
    const made = things();
    await limits.handlers.TenantPlanChanged(planChanged(tenant, { customers: 1 }, 2));
    await limits.withinLimit(tenant, 'customers', made.count, made.create('c1'));
    // the owner's answer (revision 1) is older than the copy's: the copy's refusal stands
    expect(
      await outcome(limits.withinLimit(tenant, 'customers', made.count, made.create('c2'))),
    ).toBe('plan_limit_reached');
    delete tenants.answers[tenant];
    expect(
      await outcome(limits.withinLimit(tenant, 'customers', made.count, made.create('c3'))),
    ).toBe('plan_limit_reached');
    expect(made.rows).toEqual(['c1']);
  });
});
