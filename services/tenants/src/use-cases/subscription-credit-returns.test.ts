import { CREDIT_RETURNS_KEPT, decideCreditReturn } from './subscription-credit-returns';

const returned = (id: string, amount_minor: number, currency = 'USD') => ({
  credit_note_id: id,
  amount_minor,
  currency,
});

describe('a credit returned to a subscription balance', () => {
  test('when the balance is empty, then it becomes the returned amount (26.67 USD)', () => {
    expect(decideCreditReturn({ credit_balance: null }, 'USD', returned('cn_1', 2667))).toEqual({
      kind: 'add',
      credit_balance: { amount_minor: 2667, currency: 'USD' },
      credit_returns: ['cn_1'],
    });
  });

  test('when the balance holds 10.00, then 26.67 more makes 36.67', () => {
    const s = { credit_balance: { amount_minor: 1000, currency: 'USD' }, credit_returns: ['cn_0'] };
    expect(decideCreditReturn(s, 'USD', returned('cn_1', 2667))).toEqual({
      kind: 'add',
      credit_balance: { amount_minor: 3667, currency: 'USD' },
      credit_returns: ['cn_0', 'cn_1'],
    });
  });

  test('when the same credit note comes back again, then nothing is added', () => {
    const s = { credit_balance: { amount_minor: 2667, currency: 'USD' }, credit_returns: ['cn_1'] };
    expect(decideCreditReturn(s, 'USD', returned('cn_1', 2667))).toEqual({ kind: 'seen' });
  });

  test('when the amount is in another currency than the plan or the balance, then it is refused', () => {
    expect(
      decideCreditReturn({ credit_balance: null }, 'USD', returned('cn_1', 2667, 'EUR')),
    ).toEqual({ kind: 'other_currency' });
    const euros = { credit_balance: { amount_minor: 500, currency: 'EUR' } };
    expect(decideCreditReturn(euros, 'USD', returned('cn_1', 2667))).toEqual({
      kind: 'other_currency',
    });
  });

  test('when 50 notes were returned before, then the oldest id is forgotten and the newest kept', () => {
    const ids = Array.from({ length: CREDIT_RETURNS_KEPT }, (_, i) => `cn_${i}`);
    const s = { credit_balance: { amount_minor: 1, currency: 'USD' }, credit_returns: ids };
    const decision = decideCreditReturn(s, 'USD', returned('cn_new', 99));
    expect(decision).toEqual({
      kind: 'add',
      credit_balance: { amount_minor: 100, currency: 'USD' },
      credit_returns: [...ids.slice(1), 'cn_new'],
    });
  });
});
