import { buildEvent, type EventData } from '@ledgerline/contracts';
import { balanceEntry, postingsFor } from './posting';

const PLATFORM = 'ten_platform';
const invoice = {
  invoice_id: 'inv_1',
  invoice_number: 'INV-000001',
  customer_id: 'cus_1',
  currency: 'BDT',
  status: 'unpaid' as const,
  total_minor: 1_100_000,
  paid_minor: 0,
  balance_due_minor: 1_100_000,
  sub_total_minor: 1_000_000,
  vat_minor: 150_000,
  discount_minor: 50_000,
  issue_date: '2025-01-15',
};
const change = (over: Partial<EventData<'InvoiceStatusChanged'>>) =>
  buildEvent('InvoiceStatusChanged', {
    tenant_id: 'ten_a',
    data: {
      ...invoice,
      previous_status: 'unpaid',
      payment_id: null,
      applied_minor: 0,
      payment_change: null,
      refund_id: null,
      ...over,
    },
  });
const line = (account: string, debit_minor: number, credit_minor: number) => ({
  account,
  debit_minor,
  credit_minor,
});
/** Issuing `invoice`: receivable the total, revenue net of the discount, the VAT owed. */
const ISSUE_LINES = [
  line('receivable:cus_1', 1_100_000, 0),
  line('revenue', 0, 950_000),
  line('vat_payable', 0, 150_000),
];
const only = (event: Parameters<typeof postingsFor>[0]) => {
  const postings = postingsFor(event, PLATFORM);
  expect(postings).toHaveLength(1);
  return postings[0]!;
};

describe('posting rules', () => {
  test('when an invoice is created issued, then receivable is debited the total and revenue net of discount and VAT are credited', () => {
    const posting = only(buildEvent('InvoiceCreated', { tenant_id: 'ten_a', data: invoice }));
    expect(posting).toEqual({
      tenant_id: 'ten_a',
      entry: {
        source_key: 'invoice_issued:inv_1',
        kind: 'invoice_issued',
        description: 'Invoice INV-000001 issued',
        currency: 'BDT',
        customer_id: 'cus_1',
        invoice_id: 'inv_1',
        lines: ISSUE_LINES,
      },
    });
  });

  test('when a draft is created, then nothing is posted', () => {
    const draft = buildEvent('InvoiceCreated', {
      tenant_id: 'ten_a',
      data: { ...invoice, status: 'draft', invoice_number: null },
    });
    expect(postingsFor(draft, PLATFORM)).toEqual([]);
  });

  test('when a draft is issued, then the issue entry is posted under the same key as a created-issued invoice', () => {
    const posting = only(change({ previous_status: 'draft', status: 'unpaid' }));
    expect(posting.entry.source_key).toBe('invoice_issued:inv_1');
    expect(posting.entry.lines).toEqual(ISSUE_LINES);
  });

  test('when a VAT-free invoice without customer is issued, then zero lines are left out', () => {
    const posting = only(
      buildEvent('InvoiceCreated', {
        tenant_id: 'ten_a',
        data: {
          ...invoice,
          customer_id: null,
          vat_minor: 0,
          discount_minor: 0,
          total_minor: 1_000_000,
        },
      }),
    );
    expect(posting.entry.lines).toEqual([
      line('receivable:unassigned', 1_000_000, 0),
      line('revenue', 0, 1_000_000),
    ]);
  });

  // a payment moves money from the receivable into cash; voiding or refunding one moves it back
  test.each([
    {
      when: 'a payment is applied',
      then: 'cash is debited and the receivable credited the applied amount',
      over: { status: 'partial', applied_minor: 400_050, payment_change: 'payment' },
      key: 'payment:pay_1',
      kind: 'payment',
      lines: [line('cash', 400_050, 0), line('receivable:cus_1', 0, 400_050)],
    },
    {
      when: 'a payment is voided',
      then: 'the money goes back: receivable debited, cash credited',
      over: { applied_minor: -400_050, payment_change: 'payment_voided' },
      key: 'payment_voided:pay_1',
      kind: 'payment_voided',
      lines: [line('cash', 0, 400_050), line('receivable:cus_1', 400_050, 0)],
    },
    {
      when: 'a payment is refunded',
      then: 'the refund goes back: receivable debited, cash credited, under the refund id',
      over: { applied_minor: -100, payment_change: 'refund', refund_id: 'ref_9' },
      key: 'refund:ref_9',
      kind: 'refund',
      lines: [line('cash', 0, 100), line('receivable:cus_1', 100, 0)],
    },
  ] as const)('when $when, then $then', ({ over, key, kind, lines }) => {
    const posting = only(change({ payment_id: 'pay_1', ...over }));
    expect(posting.entry).toMatchObject({ source_key: key, kind, lines });
  });

  test('when an issued invoice is voided, then the issue entry is reversed; a voided draft posts nothing', () => {
    const posting = only(change({ previous_status: 'unpaid', status: 'void' }));
    expect(posting.entry).toMatchObject({
      source_key: 'invoice_void:inv_1',
      kind: 'invoice_void',
      lines: ISSUE_LINES.map((l) => line(l.account, l.credit_minor, l.debit_minor)),
    });
    expect(postingsFor(change({ previous_status: 'draft', status: 'void' }), PLATFORM)).toEqual([]);
  });

  test('when credits are bought and used, then the platform ledger moves their value between revenue and the credits liability', () => {
    const tx = (over: Partial<EventData<'CreditTransactionRecorded'>>) =>
      buildEvent('CreditTransactionRecorded', {
        tenant_id: 'ten_b',
        data: {
          transaction_id: 'ctx_1',
          tenant_id: 'ten_b',
          transaction_type: 'purchase',
          amount: 1000,
          balance_after: 1000,
          seq: 1,
          description: 'Starter pack',
          operation_type: null,
          value_minor: 9_900,
          currency: 'USD',
          invoice_id: 'inv_p',
          ...over,
        },
      });
    expect(only(tx({}))).toEqual({
      tenant_id: PLATFORM,
      entry: {
        source_key: 'credits:ctx_1',
        kind: 'credits_purchase',
        description: '1000 credits bought by ten_b',
        currency: 'USD',
        customer_id: 'ten_b',
        invoice_id: 'inv_p',
        lines: [line('revenue', 9_900, 0), line('credits_liability:ten_b', 0, 9_900)],
      },
    });
    const usage = only(
      tx({
        transaction_id: 'ctx_2',
        transaction_type: 'deduction',
        amount: -10,
        value_minor: 99,
        invoice_id: null,
        description: 'api call',
      }),
    );
    expect(usage.entry.lines).toEqual([
      line('credits_liability:ten_b', 99, 0),
      line('revenue', 0, 99),
    ]);
    expect(postingsFor(tx({ transaction_type: 'grant', value_minor: null }), PLATFORM)).toEqual([]);
  });

  test('when a provider charges, is paid offline, or writes off, then the receivable moves against revenue, cash or write-offs', () => {
    const entry = (kind: 'charge' | 'offline_payment' | 'write_off') =>
      balanceEntry({
        kind,
        customerId: 'cus_1',
        amountMinor: 2_500,
        currency: 'KWD',
        description: kind,
        sourceKey: `balance:${kind}`,
      }).lines;
    expect({
      charge: entry('charge'),
      offline_payment: entry('offline_payment'),
      write_off: entry('write_off'),
    }).toEqual({
      charge: [line('receivable:cus_1', 2_500, 0), line('revenue', 0, 2_500)],
      offline_payment: [line('cash', 2_500, 0), line('receivable:cus_1', 0, 2_500)],
      write_off: [line('write_offs', 2_500, 0), line('receivable:cus_1', 0, 2_500)],
    });
  });
});
