import { gatewayConfigSchema } from './config';

const base = {
  PORT: '8080',
  REDIS_URL: 'redis://127.0.0.1:6391',
  AUTH_URL: 'http://127.0.0.1:4001',
  TENANTS_URL: 'http://127.0.0.1:4002',
  CUSTOMERS_URL: 'http://127.0.0.1:4003',
  BILLING_URL: 'http://127.0.0.1:4004',
  PAYMENTS_URL: 'http://127.0.0.1:4005',
  WEBHOOKS_URL: 'http://127.0.0.1:4006',
};

describe('gateway configuration', () => {
  test('when TRUSTED_PROXIES is not set, then no proxy is trusted', () => {
    expect(gatewayConfigSchema.parse(base).TRUSTED_PROXIES).toEqual([]);
  });

  test('when TRUSTED_PROXIES lists IPs and CIDRs, then they are kept as a list', () => {
    const config = gatewayConfigSchema.parse({
      ...base,
      TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1,fd00::/8,loopback',
    });
    expect(config.TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '127.0.0.1', 'fd00::/8', 'loopback']);
  });

  test.each(['10.0.0.300', '10.0.0.0/33', 'proxy.local', '10.0.0.0/8/1', '*'])(
    'when TRUSTED_PROXIES holds %s, then the configuration is refused',
    (entry) => {
      expect(gatewayConfigSchema.safeParse({ ...base, TRUSTED_PROXIES: entry }).success).toBe(
        false,
      );
    },
  );
});
