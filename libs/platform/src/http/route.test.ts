import { LEDGER_ROUTES, PAYMENT_ROUTES } from '@ledgerline/contracts';
import { expressPath, idempotentPaths } from './route';

describe('route paths', () => {
  test('when a spec path has {names}, then express gets :names', () => {
    expect(expressPath('/api/billing/{profile}/checkout/{id}')).toBe(
      '/api/billing/:profile/checkout/:id',
    );
  });

  test('when groups are given, then only their idempotent routes are keyed, as express paths', () => {
    expect(idempotentPaths(LEDGER_ROUTES, PAYMENT_ROUTES).sort()).toEqual(
      [
        '/api/billing/:profile/balance',
        '/api/billing/:profile/checkout',
        '/api/billing/:profile/checkout/paylater',
        '/api/payments/payment-details',
        '/api/payments/payments',
        '/api/payments/payments/:id/refund',
        '/api/payments/payments/:id/void',
      ].sort(),
    );
  });
});
