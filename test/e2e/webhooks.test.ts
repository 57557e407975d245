import { MongoClient } from 'mongodb';
import request from 'supertest';
import { bearer, newTeamMember, registerAndLogin, type TestSession } from '../support/accounts';
import { eventually, MONGO_URL } from '../support/infra';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import { startReceiver, verifiedSignatures, type Received } from '../support/webhook-receiver';

jest.setTimeout(180_000);

/** Retries 1 s apart (4 attempts in all) and a 4 s secret overlap, so the tests see them happen. */
const OVERLAP_S = 4;

let platform: RunningPlatform & { dbPrefix: string };
let api: ReturnType<typeof request>;
const receivers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  platform = await startTestPlatform('webhooks', {
    basePort: 10100,
    gatewayPort: 10180,
    envFor: {
      webhooks: {
        WEBHOOK_RETRY_SCHEDULE: '1,1,1',
        WEBHOOK_SECRET_OVERLAP_SECONDS: String(OVERLAP_S),
        WEBHOOK_POLL_MS: '100',
      },
    },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await platform?.stop();
});

async function receiver(respond?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

async function createEndpoint(owner: TestSession, url: string, events: string[] = ['*']) {
  const res = await api
    .post('/api/webhooks/endpoints/')
    .set(bearer(owner.token))
    .send({ url, events, description: 'e2e' });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string; secret: string };
}

async function sendTest(owner: TestSession, endpointId: string) {
  const res = await api
    .post(`/api/webhooks/endpoints/${endpointId}/test/`)
    .set(bearer(owner.token));
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string; message_id: string; status: string };
}

/** The delivery as its GET answers it; null while the service is away (restarting). */
const delivery = async (owner: TestSession, id: string) => {
  const res = await api.get(`/api/webhooks/deliveries/${id}/`).set(bearer(owner.token));
  if (res.status !== 200) return null;
  return res.body.data as {
    status: string;
    attempts: number;
    message_id: string;
    attempt_log: { response_code: number | null }[];
  };
};

const doneDelivery = (owner: TestSession, id: string, status = 'succeeded', timeoutMs = 30_000) =>
  eventually(
    () => delivery(owner, id),
    (d) => d?.status === status,
    timeoutMs,
    200,
  ).then((d) => d!);

const ids = (got: Received[]) => got.map((r) => r.headers['webhook-id']);

describe('webhook endpoints', () => {
  it('when an owner creates, reads, changes and deletes an endpoint, then the secret is shown once and never again', async () => {
    const owner = await registerAndLogin(api, 'whcrud');
    const target = await receiver();
    const created = await createEndpoint(owner, target.url, ['invoice.paid', 'invoice.issued']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({
      url: target.url,
      events: ['invoice.paid', 'invoice.issued'],
      enabled: true,
      description: 'e2e',
    });

    const read = await api.get(`/api/webhooks/endpoints/${created.id}/`).set(bearer(owner.token));
    expect(read.status).toBe(200);
    expect(read.body.data.id).toBe(created.id);
    expect(JSON.stringify(read.body)).not.toContain(created.secret.slice(6, 20));
    expect(read.body.data).not.toHaveProperty('secret');
    const list = await api.get('/api/webhooks/endpoints/').set(bearer(owner.token));
    expect(list.body.data).toMatchObject({ count: 1, page: 1 });
    expect(JSON.stringify(list.body)).not.toContain(created.secret.slice(6, 20));

    const patched = await api
      .patch(`/api/webhooks/endpoints/${created.id}/`)
      .set(bearer(owner.token))
      .send({ events: ['*'], enabled: false });
    expect([patched.status, patched.body.data.events, patched.body.data.enabled]).toEqual([
      200,
      ['*'],
      false,
    ]);

    const unknown = await api
      .patch(`/api/webhooks/endpoints/${created.id}/`)
      .set(bearer(owner.token))
      .send({ events: ['invoice.paid', 'invoice.exploded'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({
        field: 'events.1',
        message: 'unknown event type "invoice.exploded"',
      }),
    ]);

    const removed = await api
      .delete(`/api/webhooks/endpoints/${created.id}/`)
      .set(bearer(owner.token));
    expect(removed.status).toBe(200);
    const gone = await api.get(`/api/webhooks/endpoints/${created.id}/`).set(bearer(owner.token));
    expect(gone.status).toBe(404);
  });

  it('when a viewer or member calls, then 403; when another tenant names the endpoint, then 404', async () => {
    const owner = await registerAndLogin(api, 'whperm');
    const target = await receiver();
    const endpoint = await createEndpoint(owner, target.url);
    const viewer = await newTeamMember(api, owner, 'viewer', 'whviewer');
    const member = await newTeamMember(api, owner, 'member', 'whmember');
    const admin = await newTeamMember(api, owner, 'admin', 'whadmin');
    for (const who of [viewer, member]) {
      expect((await api.get('/api/webhooks/endpoints/').set(bearer(who.token))).status).toBe(403);
      const create = await api
        .post('/api/webhooks/endpoints/')
        .set(bearer(who.token))
        .send({ url: target.url, events: ['*'] });
      expect(create.status).toBe(403);
    }
    expect((await api.get('/api/webhooks/endpoints/').set(bearer(admin.token))).status).toBe(200);

    const other = await registerAndLogin(api, 'whother');
    const paths = [
      ['get', `/api/webhooks/endpoints/${endpoint.id}/`],
      ['patch', `/api/webhooks/endpoints/${endpoint.id}/`],
      ['delete', `/api/webhooks/endpoints/${endpoint.id}/`],
      ['post', `/api/webhooks/endpoints/${endpoint.id}/rotate_secret/`],
      ['post', `/api/webhooks/endpoints/${endpoint.id}/test/`],
      ['get', `/api/webhooks/endpoints/${endpoint.id}/deliveries/`],
    ] as const;
    for (const [method, path] of paths) {
      const res = await api[method](path).set(bearer(other.token)).send({ enabled: false });
      expect({ path, method, status: res.status }).toEqual({ path, method, status: 404 });
    }
    const sent = await sendTest(owner, endpoint.id);
    const foreign = await api.get(`/api/webhooks/deliveries/${sent.id}/`).set(bearer(other.token));
    expect(foreign.status).toBe(404);
    const replay = await api
      .post(`/api/webhooks/deliveries/${sent.id}/retry/`)
      .set(bearer(other.token));
    expect(replay.status).toBe(404);
  });

  it('when a tenant has 20 endpoints, then the 21st is refused with 422', async () => {
    const owner = await registerAndLogin(api, 'whmax');
    const target = await receiver();
    for (let i = 0; i < 20; i++) await createEndpoint(owner, `${target.url}/${i}`);
    const res = await api
      .post('/api/webhooks/endpoints/')
      .set(bearer(owner.token))
      .send({ url: target.url, events: ['*'] });
    expect([res.status, res.body.error]).toEqual([422, 'At most 20 webhook endpoints per tenant']);
  });
});

describe('webhook deliveries', () => {
  it('when a test event is sent, then the receiver gets it signed with the endpoint secret and the log shows it succeeded', async () => {
    const owner = await registerAndLogin(api, 'whtest');
    const target = await receiver();
    const endpoint = await createEndpoint(owner, target.url, ['invoice.paid']);
    const sent = await sendTest(owner, endpoint.id);
    await eventually(
      async () => target.received.length,
      (n) => n === 1,
    );
    const [got] = target.received as [Received];
    expect(got.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Ledgerline-Webhooks/1',
      'webhook-id': sent.message_id,
    });
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(verifiedSignatures(endpoint.secret, got)).toHaveLength(1);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      type: 'webhook.test',
      tenant_id: owner.tenantId,
      data: { endpoint_id: endpoint.id },
    });
    expect(Object.keys(body).sort()).toEqual(['data', 'id', 'tenant_id', 'timestamp', 'type']);

    const done = await doneDelivery(owner, sent.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(done.attempt_log).toEqual([expect.objectContaining({ response_code: 200 })]);
    const log = await api
      .get(`/api/webhooks/endpoints/${endpoint.id}/deliveries/`)
      .set(bearer(owner.token));
    expect(log.body.data.results).toEqual([
      expect.objectContaining({
        id: sent.id,
        status: 'succeeded',
        attempts: 1,
        last_response_code: 200,
        last_error: null,
        next_attempt_at: null,
      }),
    ]);
    expect(log.body.data.results[0].last_latency_ms).toEqual(expect.any(Number));
  });

  it('when the receiver answers 500 three times then 200, then one delivery succeeds after 4 attempts with the same webhook-id', async () => {
    const owner = await registerAndLogin(api, 'whretry');
    const target = await receiver((n) => ({ status: n <= 3 ? 500 : 200 }));
    const endpoint = await createEndpoint(owner, target.url);
    const sent = await sendTest(owner, endpoint.id);
    const done = await doneDelivery(owner, sent.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 4 });
    expect(done.attempt_log.map((a) => a.response_code)).toEqual([500, 500, 500, 200]);
    expect(ids(target.received)).toEqual(Array(4).fill(sent.message_id));
    for (const got of target.received)
      expect(verifiedSignatures(endpoint.secret, got)).toHaveLength(1);
    const log = await api
      .get(`/api/webhooks/endpoints/${endpoint.id}/deliveries/`)
      .set(bearer(owner.token));
    expect(log.body.data.count).toBe(1);
  });

  it('when every attempt fails, then the delivery ends failed; a replay makes it pending and delivers it with the same webhook-id', async () => {
    const owner = await registerAndLogin(api, 'whreplay');
    let answer = 503;
    const target = await receiver(() => ({ status: answer }));
    const endpoint = await createEndpoint(owner, target.url);
    const sent = await sendTest(owner, endpoint.id);
    const failed = await doneDelivery(owner, sent.id, 'failed');
    expect(failed.attempts).toBe(4);

    answer = 200;
    const replay = await api
      .post(`/api/webhooks/deliveries/${sent.id}/retry/`)
      .set(bearer(owner.token));
    expect([replay.status, replay.body.data.status]).toEqual([200, 'pending']);
    const done = await doneDelivery(owner, sent.id);
    expect(done.attempts).toBe(5);
    expect(new Set(ids(target.received))).toEqual(new Set([sent.message_id]));
  });

  it('when the webhooks service is killed (SIGKILL) between attempts and restarted, then the delivery still completes with the same webhook-id', async () => {
    const owner = await registerAndLogin(api, 'whkill');
    const target = await receiver((n) => ({ status: n <= 2 ? 500 : 200 }));
    const endpoint = await createEndpoint(owner, target.url);
    const sent = await sendTest(owner, endpoint.id);
    await eventually(
      () => delivery(owner, sent.id),
      (d) => (d?.attempts ?? 0) >= 1,
      20_000,
      50,
    );
    await platform.stopOne('webhooks', 'SIGKILL');
    const attemptsAtKill = target.received.length;
    platform.startOne('webhooks');
    const done = await doneDelivery(owner, sent.id, 'succeeded', 90_000);
    expect(done.attempts).toBeGreaterThanOrEqual(3);
    expect(target.received.length).toBeGreaterThan(attemptsAtKill);
    expect(new Set(ids(target.received))).toEqual(new Set([sent.message_id]));
  });

  it('when the secret is rotated, then during the overlap both secrets sign and after it only the new one', async () => {
    const owner = await registerAndLogin(api, 'whrotate');
    const target = await receiver();
    const endpoint = await createEndpoint(owner, target.url);
    const rotated = await api
      .post(`/api/webhooks/endpoints/${endpoint.id}/rotate_secret/`)
      .set(bearer(owner.token));
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.data.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(endpoint.secret);
    expect(rotated.body.data.previous_secret_expires_at).toEqual(expect.any(String));

    await sendTest(owner, endpoint.id);
    await eventually(
      async () => target.received.length,
      (n) => n === 1,
    );
    const during = target.received[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiedSignatures(fresh, during)).toHaveLength(1);
    expect(verifiedSignatures(endpoint.secret, during)).toHaveLength(1);

    await new Promise((r) => setTimeout(r, OVERLAP_S * 1000 + 500));
    await sendTest(owner, endpoint.id);
    await eventually(
      async () => target.received.length,
      (n) => n === 2,
    );
    const after = target.received[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifiedSignatures(fresh, after)).toHaveLength(1);
    expect(verifiedSignatures(endpoint.secret, after)).toHaveLength(0);
  });
});

describe('tenant deletion', () => {
  it('when a tenant is deleted, then its endpoints, deliveries and queue entries leave the webhooks database', async () => {
    const owner = await registerAndLogin(api, 'whdeleted');
    const target = await receiver(() => ({ status: 500 }));
    const endpoint = await createEndpoint(owner, target.url);
    await sendTest(owner, endpoint.id);
    await eventually(
      async () => target.received.length,
      (n) => n >= 1,
    );
    const admin = await api
      .post('/api/auth')
      .send({ username: 'admin', password: 'ledgerline-admin' });
    const deleted = await api
      .delete(`/api/saas/tenants/${owner.tenantId}`)
      .set(bearer(admin.body.token));
    expect(deleted.status).toBe(200);

    const mongo = await MongoClient.connect(MONGO_URL);
    try {
      const db = mongo.db(`${platform.dbPrefix}_webhooks`);
      const leftovers = async () => {
        const found: string[] = [];
        for (const name of ['webhook_endpoints', 'webhook_deliveries', 'webhook_queue'])
          if ((await db.collection(name).countDocuments({ tenant_id: owner.tenantId })) > 0)
            found.push(name);
        return found;
      };
      expect(await eventually(leftovers, (found) => found.length === 0, 30_000, 500)).toEqual([]);
    } finally {
      await mongo.close();
    }
  });
});
