import request from 'supertest';
import { bearer, registerAndLogin } from '../support/accounts';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

jest.setTimeout(180_000);

/** The production settings: https only, no private, loopback or link-local targets. */
let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('whssrf', {
    basePort: 10200,
    gatewayPort: 10280,
    envFor: { webhooks: { WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

describe('webhook URL safety (SSRF)', () => {
  it.each([
    ['https://127.0.0.1/hooks', '127.0.0.1: loopback'],
    ['https://localhost:8443/hooks', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254: link-local (cloud metadata)'],
    ['https://[::ffff:169.254.169.254]/', 'link-local (cloud metadata)'],
    ['https://10.0.0.8/hooks', '10.0.0.8: private'],
    ['https://[::1]/hooks', '::1: loopback'],
    ['https://0.0.0.0/hooks', 'unspecified'],
    ['http://example.com/hooks', 'must be an https URL'],
  ])(
    'when an endpoint URL is %s and private targets are not allowed, then it is refused with 422 naming why',
    async (url, reason) => {
      const owner = await registerAndLogin(api, 'whssrf');
      const res = await api
        .post('/api/webhooks/endpoints/')
        .set(bearer(owner.token))
        .send({ url, events: ['*'] });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'url', message: expect.stringContaining(reason) }),
      ]);
      const list = await api.get('/api/webhooks/endpoints/').set(bearer(owner.token));
      expect(list.body.data.count).toBe(0);
    },
  );
});
