import { normalisePaymentMethod } from './payment-methods';

describe('normalisePaymentMethod', () => {
  test('when seed spellings are given, then they map to channel codes', () => {
    expect(
      [
        'Bank Transfer',
        'bKash',
        'NAGAD',
        'cash',
        'Credit/Debit Card',
        'card',
        'stripe',
        'Check',
      ].map(normalisePaymentMethod),
    ).toEqual(['bank', 'bkash', 'nagad', 'cash', 'stripe', 'stripe', 'stripe', 'cheque']);
  });

  test('when the text names no known channel, then null', () => {
    expect(normalisePaymentMethod('barter')).toBeNull();
    expect(normalisePaymentMethod('  ')).toBeNull();
  });
});
