import { toMinor } from '@ledgerline/contracts';
import type { Shape } from './shape';
import type { Step } from './runner';

const LEDGER_ENTRY: Shape = {
  id: 'string',
  created_at: 'datetime',
  description: 'string|null',
  kind: 'string',
  amount: 'money',
  amount_minor: 'int',
  currency: 'string',
  unit: 'string',
  orig_account: 'string',
  dest_account: 'string',
  lines: [
    { account: 'string', debit: 'money', credit: 'money', debit_minor: 'int', credit_minor: 'int' },
  ],
};
const CART: Shape = {
  items: [
    {
      plan: 'string',
      option: 'string',
      quantity: 'int',
      unit_price: 'money',
      unit_price_minor: 'int',
      amount: 'money',
      amount_minor: 'int',
    },
  ],
  total: 'money',
  total_minor: 'int',
  currency: 'string',
  unit: 'string',
};
const ORDER: Shape = {
  total: 'money',
  total_minor: 'int',
  unit: 'string',
  paid: 'boolean',
  invoice: { id: 'string', status: 'string', total_bill_amount: 'money' },
};
const METRIC_TABLE: Shape = {
  title: 'string',
  scale: 'number',
  unit: 'string',
  currency: 'string',
  table: [{ key: 'string', values: 'array', values_minor: 'array' }],
};

/**
 * Seed 001's billing: Acme's customer balance and ledger, then xia buying the Premium plan
 * through the cart (xia's `{profile}` is xia's own tenant; Acme's balance profile is a customer).
 */
export const LEDGER_AND_CHECKOUT: Step[] = [
  {
    seed: '001',
    method: 'GET',
    path: '/api/billing/{customer}/balance',
    as: 'acme',
    extra: 'the balance before the seed adds to it',
    // the ledger is posted from billing's invoice events by the worker
    until: (a) => a.body?.data?.balance_due === '115.00',
    status: 200,
    then: "the customer owes February's 115.00",
    shape: {
      profile: 'string',
      currency: 'string',
      unit: 'string',
      balance_due: 'money',
      balance_due_minor: 'int',
    },
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/billing/{customer}/balance',
    as: 'acme',
    headers: { 'Idempotency-Key': 'seed-walk-usage-charge' },
    // seed 001's "Fields encoding": amounts are integers of 1/100th of the unit
    body: { amount: 10000, unit: 'usd', kind: 'charge', description: 'January API usage' },
    status: 201,
    then: 'the use charge of 100.00 ($100 as seed 001 writes it) is added to the balance due, read back in both encodings',
    shape: {
      transaction: LEDGER_ENTRY,
      balance: { balance_due: 'money', balance_due_minor: 'int' },
    },
    check: (data, ctx) => {
      expect(data.balance).toMatchObject({ balance_due: '215.00', balance_due_minor: 21500 });
      expect(data.transaction).toMatchObject({
        kind: 'charge',
        amount: '100.00',
        amount_minor: 10000,
        unit: 'usd',
        dest_account: `receivable:${ctx.ids.customer}`,
      });
    },
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/billing/transactions?per_page=100',
    as: 'acme',
    status: 200,
    then: 'the ledger holds the invoices, payments and charge, each balanced',
    shape: { results: [LEDGER_ENTRY], count: 'int' },
    check: (data, ctx) => {
      const entries = data.results as {
        kind: string;
        amount: string;
        amount_minor: number;
        invoice_id: string | null;
        lines: { debit: string; credit: string }[];
      }[];
      expect(entries).toContainEqual(
        expect.objectContaining({
          kind: 'invoice_issued',
          invoice_id: ctx.ids.invoice,
          amount: '11776.25',
        }),
      );
      expect(
        entries
          .filter((e) => e.kind === 'payment')
          .map((e) => e.amount)
          .sort(),
      ).toEqual(['10000.00', '1776.25']);
      expect(
        entries.filter((e) => e.kind === 'charge').map((e) => [e.amount, e.amount_minor]),
      ).toEqual([['100.00', 10000]]);
      const cents = (s: string) => Math.round(Number(s) * 100);
      for (const e of entries) {
        const debit = e.lines.reduce((sum, l) => sum + cents(l.debit), 0);
        const credit = e.lines.reduce((sum, l) => sum + cents(l.credit), 0);
        expect([e.kind, debit]).toEqual([e.kind, credit]);
      }
    },
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/billing/transactions?q=charge&q_f=kind&o=-created_at&start_at=2025-01-01&page=1',
    as: 'acme',
    status: 200,
    then: "seed 001's list parameters (q, q_f, o, start_at, page) find the charge alone",
    shape: { results: [LEDGER_ENTRY], count: 'int', page: 'int', per_page: 'int' },
    check: (data) => {
      expect(data).toMatchObject({ count: 1, page: 1 });
      expect(data.results[0]).toMatchObject({ kind: 'charge', amount: '100.00' });
    },
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/cart',
    as: 'xia',
    body: { plan: 'premium' },
    // billing prices the cart from the plans it has learned from the tenants service
    until: (a) => a.status !== 404,
    status: 201,
    then: 'the Premium plan, named by its slug, is in the cart at its monthly price',
    shape: CART,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        items: [
          {
            plan: ctx.ids.premium,
            option: 'monthly',
            quantity: 1,
            amount: '49.00',
            amount_minor: 4900,
          },
        ],
        total: '49.00',
        total_minor: 4900,
        currency: 'USD',
      }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/billing/{xiaTenant}/checkout/paylater',
    as: 'xia',
    status: 201,
    then: 'the order is an unpaid platform invoice of the cart total',
    shape: ORDER,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        paid: false,
        total_minor: 4900,
        invoice: { status: 'unpaid', customer_id: ctx.ids.xiaTenant, total_bill_amount: '49.00' },
      }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/cart',
    as: 'xia',
    body: { plan: 'premium', option: 'yearly' },
    status: 201,
    then: 'the emptied cart now holds a yearly Premium',
    shape: CART,
    check: (data) => expect(data).toMatchObject({ total: '490.00' }),
  },
  {
    seed: '001',
    method: 'POST',
    path: '/api/billing/{xiaTenant}/checkout',
    as: 'xia',
    headers: { 'Idempotency-Key': 'seed-walk-checkout' },
    body: { payment_method: 'card' },
    status: 201,
    then: 'the order is invoiced and paid at once',
    shape: ORDER,
    check: (data) =>
      expect(data).toMatchObject({ paid: true, invoice: { total_bill_amount: '490.00' } }),
    save: (data, ctx) => {
      ctx.ids.order = data.invoice.id;
    },
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/invoices/',
    as: 'xia',
    // the payment reaches the invoice through the payments service's event
    until: (a, ctx) =>
      a.body?.data?.results?.some(
        (i: { id: string; status: string }) => i.id === ctx.ids.order && i.status === 'paid',
      ),
    status: 200,
    then: "xia's billing history shows the paid order beside the unpaid one",
    check: (data, ctx) => {
      const order = data.results.find((i: { id: string }) => i.id === ctx.ids.order);
      expect(order).toMatchObject({ status: 'paid', total_amount: '490.00' });
      expect(data.results).toContainEqual(
        expect.objectContaining({ status: 'unpaid', total_amount: '49.00' }),
      );
    },
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/billing/transactions?invoice_id={order}',
    as: 'admin',
    // "look at the transactions recorded in the ledger ... as a broker": the platform's ledger
    // the page, not the count: the two are read at once, and the ledger inserts both entries in
    // one write, so a read between them counted 2 and listed none (a CI failure of `87ac857`)
    until: (a) => (a.body?.data?.results?.length ?? 0) >= 2,
    status: 200,
    then: "the platform's ledger records the order and its payment",
    shape: { results: [LEDGER_ENTRY], count: 'int' },
    check: (data) =>
      expect(
        data.results.map((e: { kind: string; amount: string }) => [e.kind, e.amount]).sort(),
      ).toEqual([
        ['invoice_issued', '490.00'],
        ['payment', '490.00'],
      ]),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/metrics/{acme}/revenue',
    as: 'acme',
    extra: 'seed 001\'s "metrics" category gives no path',
    status: 200,
    then: 'a table of twelve monthly values per key is answered',
    shape: METRIC_TABLE,
    check: (data) => {
      expect(data.table.map((r: { key: string }) => r.key)).toEqual([
        'revenue',
        'payments',
        'write_offs',
      ]);
      expect(data.table[0].values).toHaveLength(12);
      // the same values in seed 001's integer minor units: this month's 100.00 charge is in revenue
      const [row] = data.table as {
        values: [string, string][];
        values_minor: [string, number][];
      }[];
      expect(row!.values_minor.map(([, v]) => v)).toEqual(
        row!.values.map(([, v]) => toMinor(v, 'USD')),
      );
    },
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/metrics/{acme}/balances?start_at=2025-01-01&ends_at=2025-03-31',
    as: 'acme',
    extra: "seed 001's list dates start_at/ends_at",
    status: 200,
    then: 'the table covers the months asked for',
    shape: METRIC_TABLE,
    check: (data) => expect(data.table[0].values).toHaveLength(3),
  },
  {
    seed: '001',
    method: 'GET',
    path: '/api/metrics/{acme}/customers',
    as: 'acme',
    extra: 'the customers dashboard',
    status: 200,
    then: 'the customers table is answered, counts without a currency',
    // counts, not money: no values_minor
    shape: {
      ...METRIC_TABLE,
      unit: 'string|null',
      currency: 'string|null',
      table: [{ key: 'string', values: 'array' }],
    },
    check: (data) =>
      expect(data.table.map((r: { key: string }) => r.key)).toEqual(['active', 'new', 'total']),
  },
];

/** The end of the story: a customer leaves, then the tenant itself is deleted (seed 003). */
export const END_OF_LIFE: Step[] = [
  {
    seed: '002',
    method: 'DELETE',
    path: '/api/customers/customers/{partner}/',
    as: 'acme',
    status: 200,
    then: 'a customer who owes nothing is deleted with its entitlement',
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{partner}/',
    as: 'acme',
    status: 404,
    then: 'the deleted customer is gone',
  },
  {
    seed: '003',
    method: 'DELETE',
    path: '/api/saas/tenants/{acme}',
    as: 'admin',
    status: 200,
    then: 'the tenant is deleted',
  },
  {
    seed: '003',
    method: 'GET',
    path: '/api/saas/tenants/{acme}',
    as: 'admin',
    status: 404,
    then: 'the deleted tenant is gone',
  },
];
