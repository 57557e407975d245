import { onRealStores } from '../../../../../../test/support/real-stores';
import { creditAccountStore } from '../store/credit-accounts';
import { creditTransactionStore } from '../store/credit-transactions';
import { currentAccount, recordCreditChange, type CreditUsageDeps } from './credit-usage';

jest.setTimeout(60_000);

describe('credit usage (balances and transactions) on the real database', () => {
  let deps: CreditUsageDeps;

  onRealStores('credits', ({ mongo, locks }) => {
    deps = {
      accounts: creditAccountStore(mongo),
      transactions: creditTransactionStore(mongo),
      creditLocks: locks,
      publishSoon: () => undefined,
    };
  });

  /** A new tenant whose account starts with this month's grant of `amount` credits. */
  async function tenantGranted(amount: number): Promise<string> {
    const tenantId = `ten_${Math.random().toString(36).slice(2)}`;
    await recordCreditChange(deps, {
      tenantId,
      transactionType: 'grant',
      amount,
      description: 'start',
      idemKey: 'monthly:2025-12',
    });
    return tenantId;
  }

  test('when a crash left a written transaction unapplied, then the next change rolls the account forward first', async () => {
    const tenantId = await tenantGranted(10);
    // the transaction of a change whose process died before advancing the account
    await deps.transactions.insert(
      {
        _id: `ctx_crash_${tenantId}`,
        tenant_id: tenantId,
        seq: 2,
        idem_key: 'use:crashed',
        transaction_type: 'deduction',
        amount: -4,
        balance_after: 6,
        description: 'crashed',
        operation_type: 'clustering',
        value_minor: 4,
        currency: 'USD',
        invoice_id: null,
        created_by: null,
        created_at: new Date(),
      },
      [],
    );
    expect((await deps.accounts.find(tenantId))?.balance).toBe(10);
    expect((await currentAccount(deps, tenantId)).balance).toBe(6);

    const next = await recordCreditChange(deps, {
      tenantId,
      transactionType: 'deduction',
      amount: -6,
      description: 'rest',
      idemKey: 'use:rest',
      operationType: 'clustering',
    });
    expect([next.transaction.seq, next.transaction.balance_after]).toEqual([3, 0]);
    expect(next.account).toMatchObject({ balance: 0, seq: 3, month_used: 10 });
    await expect(
      recordCreditChange(deps, {
        tenantId,
        transactionType: 'deduction',
        amount: -1,
        description: 'too much',
        idemKey: 'use:too-much',
      }),
    ).rejects.toMatchObject({ kind: 'insufficient_credits' });
  });

  test('when the same grant is recorded twice at once, then the balance moves once', async () => {
    const tenantId = `ten_${Math.random().toString(36).slice(2)}`;
    const grant = () =>
      recordCreditChange(deps, {
        tenantId,
        transactionType: 'purchase',
        amount: 500,
        description: 'package',
        idemKey: 'purchase:inv_1',
        value: { minor: 900, currency: 'USD' },
      });
    const results = await Promise.all([grant(), grant(), grant()]);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const account = await currentAccount(deps, tenantId);
    expect(account).toMatchObject({
      balance: 500,
      seq: 1,
      unit_price: { price_minor: 900, credits: 500, currency: 'USD' },
    });
    // usage is now valued at the purchase price: 10 credits at 9.00 / 500 = 0.18
    const used = await recordCreditChange(deps, {
      tenantId,
      transactionType: 'deduction',
      amount: -10,
      description: 'use',
      idemKey: 'use:1',
    });
    expect([used.transaction.value_minor, used.transaction.currency]).toEqual([18, 'USD']);
  });

  test('when 100 consumptions of 1 credit race against 60, then 60 are written with balances 59..0 and 40 refused', async () => {
    const tenantId = await tenantGranted(60);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        recordCreditChange(deps, {
          tenantId,
          transactionType: 'deduction',
          amount: -1,
          description: `use ${i}`,
          idemKey: `use:${i}`,
          idemKeyIsFresh: true,
        }),
      ),
    );
    const done = results.filter((r) => r.status === 'fulfilled');
    expect(done).toHaveLength(60);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r.reason as { kind: string }).kind),
    ).toEqual(Array(40).fill('insufficient_credits'));
    const after = done.map((r) => r.value.transaction.balance_after).sort((a, b) => a - b);
    expect(after).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(await currentAccount(deps, tenantId)).toMatchObject({
      balance: 0,
      seq: 61,
      month_used: 60,
    });
  });
});
