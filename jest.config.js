/** One Jest run for the whole repo: unit tests beside the code, integration/e2e against real servers. */
const shared = {
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: { '^@ledgerline/(contracts|platform)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  rootDir: __dirname,
};

/**
 * Integration files that must run alone (scripts/test.sh runs them after the others, one at a
 * time): the chaos suite stops the shared Kafka, FerretDB and Redis; the fuzzer, the kill tests
 * and the payment slice load the machine; webhook-events times deliveries against a bound.
 * LEDGERLINE_TEST_SET=shared|solo picks one side; unset, both.
 */
const SOLO = [
  '/test/chaos/[^/]+\\.test\\.ts$',
  '/test/fuzz/[^/]+\\.test\\.ts$',
  '/test/e2e/(billing-runs|provider-renewal-kill|payment-slice|webhook-events)\\.test\\.ts$',
];
const set = process.env.LEDGERLINE_TEST_SET;
const integrationIgnores = ['/node_modules/', '/dist/', '<rootDir>/test/unit/'];
if (set === 'shared') integrationIgnores.push(...SOLO);

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{libs,services}/*/src/**/*.test.ts',
        '<rootDir>/test/unit/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/', '/dist/'],
    },
    {
      ...shared,
      displayName: 'integration',
      ...(set === 'solo'
        ? { testRegex: SOLO }
        : {
            testMatch: [
              '<rootDir>/{libs,services}/*/{src,test}/**/*.int.test.ts',
              '<rootDir>/test/**/*.test.ts',
            ],
          }),
      testPathIgnorePatterns: integrationIgnores,
      setupFiles: ['<rootDir>/test/support/kafkajs-setup.ts'],
      slowTestThreshold: 30,
    },
  ],
};
