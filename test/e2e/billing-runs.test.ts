import request from 'supertest';
import { MongoClient } from 'mongodb';
import { eventually, MONGO_URL } from '../support/infra';
import {
  bearer,
  login,
  registerAndLogin,
  TEST_PASSWORD,
  type TestSession,
} from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

// the set-up (2,000 writes through the gateway) dominates; on a loaded shared machine it is slow
jest.setTimeout(1_500_000);

/**
 * Issue 6 asks for 1,000 entitlements (about 4 minutes here, most of it the set-up through the
 * customers API); BILLING_RUN_ENTITLEMENTS sets another size.
 */
const ENTITLEMENTS = Number(process.env.BILLING_RUN_ENTITLEMENTS ?? 1000);
let platform: RunningPlatform & { dbPrefix: string; topicPrefix: string };
let api: ReturnType<typeof request>;
let mongo: MongoClient;

beforeAll(async () => {
  // two workers share the run's chunks; one of them is killed mid-run
  platform = await startTestPlatform('billing-runs', {
    basePort: 22000,
    gatewayPort: 23080,
    billingWorkers: 2,
    // 2,000 set-up writes on a shared 2-core machine: give slow answers time instead of a 504
    envFor: { gateway: { UPSTREAM_TIMEOUT_MS: '60000' } },
  });
  api = request(platform.gatewayUrl);
  mongo = await MongoClient.connect(MONGO_URL);
});

afterAll(async () => {
  await mongo?.close();
  await platform?.stop();
});

/** A busy lock (409 "busy", nothing written) is retried: the machine is shared and slow. */
async function post(s: TestSession, path: string, body: object, expected = 201) {
  for (let attempt = 1; ; attempt++) {
    const res = await api.post(path).set(bearer(s.token)).send(body);
    if (res.status === 409 && /busy/.test(res.body.error) && attempt < 5) continue;
    expect([path, res.status, res.body.error]).toEqual([path, expected, undefined]);
    return res.body.data;
  }
}

const LANES = 6;

describe('billing runs', () => {
  it(`when a worker is killed (SIGKILL) mid-run over ${ENTITLEMENTS} entitlements and restarted, then the run completes with exactly ${ENTITLEMENTS} invoices numbered 1..${ENTITLEMENTS}`, async () => {
    const owner = await registerAndLogin(api, 'billrun');
    // one customer per lane: an entitlement's details are written under its customer's lock
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const customer = await post(owner, '/api/customers/customers/', {
          customer_name: `Run Customer ${lane}`,
          customer_type: 'bw',
        });
        for (let i = lane; i < ENTITLEMENTS; i += LANES) {
          const entitlement = await post(owner, '/api/customers/entitlements/', {
            customer_master_id: customer.id,
            bill_number: `BILL-RUN-${String(i).padStart(4, '0')}`,
          });
          await post(owner, `/api/customers/entitlements/${entitlement.id}/details/`, {
            entitlement_master_id: entitlement.id,
            bandwidth_details: [
              {
                bandwidth_type: 'ipt',
                mbps: 10,
                unit_price: 20,
                start_date: '2025-01-01',
                is_active: true,
                status: 'active',
              },
            ],
          });
        }
      }),
    );

    // billing learns the details from the customers service's events
    const billing = mongo.db(`${platform.dbPrefix}_billing`);
    await eventually(
      () =>
        billing
          .collection('entitlement_details')
          .countDocuments({ tenant_id: owner.tenantId, deleted: false }),
      (n) => n === ENTITLEMENTS,
      120_000,
      500,
    );

    const run = await post(
      owner,
      '/api/bills/billing-runs/',
      { period_start: '2025-01-01', period_end: '2025-01-31', issue: true },
      202,
    );
    expect(run).toMatchObject({ status: 'queued', total: ENTITLEMENTS, generated: 0 });

    // on a slow shared machine the run can outlive the access token: log in again when it lapses
    const progress = async () => {
      let res = await api.get(`/api/bills/billing-runs/${run.id}/`).set(bearer(owner.token));
      if (res.status === 401) {
        owner.token = (await login(api, owner.username, TEST_PASSWORD)).token;
        res = await api.get(`/api/bills/billing-runs/${run.id}/`).set(bearer(owner.token));
      }
      expect(res.status).toBe(200);
      return res.body.data;
    };
    // kill one worker with a quarter of the invoices made, then bring it back
    const madeBeforeCrash = await eventually(
      () => billing.collection('invoices').countDocuments({ billing_run_id: run.id }),
      (n) => n >= ENTITLEMENTS / 4,
      120_000,
      100,
    );
    expect(madeBeforeCrash).toBeLessThan(ENTITLEMENTS);
    await platform.stopOne('billing-worker', 'SIGKILL');
    platform.startOne('billing-worker');

    const done = await eventually(
      progress,
      (current) => String(current.status).startsWith('completed'),
      900_000,
      500,
    );
    expect(done).toMatchObject({
      status: 'completed',
      total: ENTITLEMENTS,
      generated: ENTITLEMENTS,
      skipped: 0,
      failed: 0,
      errors: [],
      chunks_done: done.chunks_total,
    });

    const invoices = await billing
      .collection('invoices')
      .find({ tenant_id: owner.tenantId }, { projection: { number_seq: 1, total_minor: 1 } })
      .toArray();
    expect(invoices).toHaveLength(ENTITLEMENTS);
    expect(invoices.map((i) => i.number_seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: ENTITLEMENTS }, (_, i) => i + 1),
    );
    // 10 Mbps x 20.00 for all of January, no VAT configured
    expect(new Set(invoices.map((i) => i.total_minor))).toEqual(new Set([20_000]));

    const listed = await api
      .get('/api/bills/invoices/?status=unpaid&per_page=1')
      .set(bearer(owner.token));
    expect(listed.body.data.count).toBe(ENTITLEMENTS);
    const runs = await api.get('/api/bills/billing-runs/').set(bearer(owner.token));
    expect(runs.body.data.results.map((r: { id: string }) => r.id)).toEqual([run.id]);
  });
});
