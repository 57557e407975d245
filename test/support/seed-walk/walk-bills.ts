import type { Step, WalkContext } from './runner';
import {
  CUSTOMER,
  INVOICE_LINE,
  INVOICE,
  PAYMENT,
  PAYMENT_DETAIL,
  RECEIVED,
  BILL_TOTALS,
  list,
  ids,
  JANUARY_WINDOW,
} from './seed-002';

/**
 * Seed 002's bills. January: 10x20 + 10x30 + 5x15 + 4x25 = 675.00, VAT 15 % = 101.25; the seed's
 * invoice detail adds 10000.00 + 15 % VAT - 5 % discount = 11000.00: 11776.25 in all.
 */
export const INVOICES: Step[] = [
  {
    seed: '002',
    method: 'POST',
    path: '/api/bills/invoices/',
    as: 'acme',
    body: (ctx) => ({
      customer_entitlement_master_id: ctx.ids.entitlement,
      issue_date: '2025-01-15',
      information_master_id: ctx.ids.info,
      status: 'draft',
      auto_calculate: true,
    }),
    status: 201,
    then: "the draft's totals are calculated from January's rows and the VAT rate",
    shape: { ...INVOICE, details: [INVOICE_LINE] },
    check: (data, ctx) => {
      expect(data).toMatchObject({
        status: 'draft',
        customer_id: ctx.ids.customer,
        customer_entitlement_master_id: ctx.ids.entitlement,
        bill_number: 'BILL20241001',
        sub_total: '675.00',
        vat_amount: '101.25',
        discount_amount: '0.00',
        total_bill_amount: '776.25',
        total_paid_amount: '0.00',
        total_balance_due: '776.25',
      });
      expect(data.details).toHaveLength(4);
    },
    save: (data, ctx) => {
      ctx.ids.invoice = data.id;
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/bills/invoices/?customer_id={customer}&status=draft&start_date=2025-01-01&end_date=2025-01-31&search=BILL20241001',
    as: 'acme',
    status: 200,
    then: "the seed's filters find the draft",
    shape: list(INVOICE),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.invoice]),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/bills/invoice-details/',
    as: 'acme',
    body: (ctx) => ({
      invoice_master_id: ctx.ids.invoice,
      entitlement_details_id: ctx.ids.nixRow,
      sub_total: 10000.0,
      vat_rate: 15.0,
      sub_discount_rate: 5.0,
      remarks: 'Invoice detail for bandwidth service',
    }),
    status: 201,
    then: "the line's VAT and discount follow its rates and the invoice is recalculated",
    shape: { ...INVOICE_LINE, invoice: INVOICE },
    check: (data) =>
      expect(data).toMatchObject({
        sub_total: '10000.00',
        vat_amount: '1500.00',
        discount_amount: '500.00',
        line_total: '11000.00',
        invoice: {
          sub_total: '10675.00',
          vat_amount: '1601.25',
          discount_amount: '500.00',
          total_bill_amount: '11776.25',
          total_balance_due: '11776.25',
        },
      }),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/bills/invoice-details/?invoice_master_id={invoice}',
    as: 'acme',
    status: 200,
    then: "the invoice's five lines are listed",
    shape: list(INVOICE_LINE),
    check: (data) => expect(data.count).toBe(5),
  },
  {
    seed: '002',
    method: 'PATCH',
    path: '/api/bills/invoices/{invoice}/',
    as: 'acme',
    body: { remarks: 'January bandwidth', due_date: '2025-02-15' },
    status: 200,
    then: 'the change reads back and the totals are recalculated unchanged',
    shape: INVOICE,
    check: (data) =>
      expect(data).toMatchObject({
        remarks: 'January bandwidth',
        due_date: '2025-02-15',
        status: 'draft',
        total_bill_amount: '11776.25',
      }),
  },
  {
    seed: '002',
    method: 'PUT',
    path: '/api/bills/invoices/{invoice}/',
    as: 'acme',
    body: (ctx) => ({
      customer_id: ctx.ids.customer,
      customer_entitlement_master_id: ctx.ids.entitlement,
      information_master_id: ctx.ids.info,
      issue_date: '2025-01-15',
      due_date: '2025-02-15',
      remarks: 'January bandwidth',
      status: 'unpaid',
    }),
    status: 200,
    then: 'the invoice is issued with its number and the same totals',
    shape: INVOICE,
    check: (data) =>
      expect(data).toMatchObject({
        status: 'unpaid',
        invoice_number: expect.stringMatching(/^INV-\d{6}$/),
        issue_date: '2025-01-15',
        total_bill_amount: '11776.25',
        total_balance_due: '11776.25',
      }),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/bills/invoices/auto_generate/',
    as: 'acme',
    body: (ctx) => ({ entitlement_id: ctx.ids.entitlement }),
    status: 201,
    then: "every month due up to today but January (billed above) is billed once, as a draft; the answer is this month's: the open-ended row only, 4 x 25.00 + 15 % VAT",
    shape: {
      ...INVOICE,
      invoices: [
        { id: 'string', period_start: 'date', total_bill_amount: 'money', created: 'boolean' },
      ],
    },
    check: (data, ctx) => {
      expect(data).toMatchObject({
        status: 'draft',
        sub_total: '100.00',
        vat_amount: '15.00',
        total_bill_amount: '115.00',
      });
      const [january, february, ...rest] = data.invoices;
      // January is answered with the auto_calculate invoice above, which bills it already
      expect(january).toMatchObject({ id: ctx.ids.invoice, created: false });
      expect(february).toMatchObject({ period_start: '2025-02-01', created: true });
      expect(rest.every((i: { created: boolean }) => i.created)).toBe(true);
      expect(rest[rest.length - 1].id).toBe(data.id);
    },
    save: (data, ctx) => {
      ctx.ids.currentDraft = data.id;
      ctx.ids.february = data.invoices[1].id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/bills/invoices/auto_generate/',
    as: 'acme',
    body: (ctx) => ({ entitlement_id: ctx.ids.entitlement }),
    status: 201,
    then: 'the same request again bills nothing and answers the same invoices (the route answers one status)',
    shape: {
      ...INVOICE,
      invoices: [
        { id: 'string', period_start: 'date', total_bill_amount: 'money', created: 'boolean' },
      ],
    },
    check: (data, ctx) => {
      expect(data.id).toBe(ctx.ids.currentDraft);
      expect(data.invoices.some((i: { created: boolean }) => i.created)).toBe(false);
    },
  },
  {
    seed: '002',
    method: 'DELETE',
    path: '/api/bills/invoices/{currentDraft}/',
    as: 'acme',
    status: 204,
    then: 'the draft is deleted',
  },
  {
    seed: '002',
    method: 'PATCH',
    path: '/api/bills/invoices/{february}/',
    as: 'acme',
    // issuing with a date is a BRIEF.md-settled addition to the seed's PATCH
    body: { status: 'unpaid', issue_date: '2025-02-28' },
    status: 200,
    then: "February's invoice is issued: the open-ended row only",
    shape: INVOICE,
    check: (data) =>
      expect(data).toMatchObject({
        status: 'unpaid',
        period_start: '2025-02-01',
        issue_date: '2025-02-28',
        total_bill_amount: '115.00',
      }),
  },
];

/** Seed 002's payment request body, as written (no amount). */
const seedPaymentBody = (ctx: WalkContext) => ({
  payment_date: '2025-01-20',
  payment_method: 'Bank Transfer',
  customer_entitlement_master_id: ctx.ids.entitlement,
  invoice_master_id: ctx.ids.invoice,
  remarks: 'Payment for invoice INV20241001',
  status: 'completed',
});

/** Seed 002's payments: a payment master as written, then payment details that settle the invoice. */
export const PAYMENTS: Step[] = [
  {
    seed: '002',
    method: 'POST',
    path: '/api/payments/payments/',
    as: 'acme',
    // seed 002's body as written: no amount, so the master holds nothing until details are added
    body: seedPaymentBody,
    status: 201,
    then: 'the payment master is recorded against the invoice, holding nothing yet',
    shape: PAYMENT,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        payment_date: '2025-01-20',
        payment_method: 'bank',
        invoice_master_id: ctx.ids.invoice,
        customer_entitlement_master_id: ctx.ids.entitlement,
        customer_id: ctx.ids.customer,
        status: 'completed',
        amount: '0.00',
      }),
    save: (data, ctx) => {
      ctx.ids.payment = data.id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/payments/payment-details/',
    as: 'acme',
    // a first detail pays part of the invoice
    body: (ctx) => ({
      payment_master_id: ctx.ids.payment,
      pay_amount: '1776.25',
      transaction_id: 'TXN123455',
      remarks: 'First part',
      status: 'completed',
    }),
    status: 201,
    then: 'the detail records money against the master invoice',
    shape: PAYMENT_DETAIL,
    check: (data, ctx) =>
      expect(data).toMatchObject({ payment_master_id: ctx.ids.payment, pay_amount: '1776.25' }),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/bills/invoices/{invoice}/',
    as: 'acme',
    extra: 'the seed says the invoice is updated by the payment',
    until: (a) => a.body?.data?.status === 'partial',
    status: 200,
    then: 'the invoice is partial with the balance due lowered',
    shape: INVOICE,
    check: (data) =>
      expect(data).toMatchObject({
        status: 'partial',
        total_paid_amount: '1776.25',
        total_balance_due: '10000.00',
      }),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/payments/payment-details/',
    as: 'acme',
    // seed 002's body as written: 50000.00 is more than the 10000.00 still due
    body: (ctx) => ({
      payment_master_id: ctx.ids.payment,
      pay_amount: 50000.0,
      transaction_id: 'TXN123456',
      remarks: 'Full payment',
      status: 'completed',
    }),
    status: 422,
    then: 'an overpayment is refused',
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/payments/payment-details/',
    as: 'acme',
    // what is due, instead of the seed's 50000.00
    body: (ctx) => ({
      payment_master_id: ctx.ids.payment,
      pay_amount: '10000.00',
      transaction_id: 'TXN123456',
      remarks: 'Full payment',
      status: 'completed',
    }),
    status: 201,
    then: 'the rest of the invoice is paid',
    shape: PAYMENT_DETAIL,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        payment_master_id: ctx.ids.payment,
        pay_amount: '10000.00',
        transaction_id: 'TXN123456',
      }),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/bills/invoices/{invoice}/',
    as: 'acme',
    extra: 'the seed says the invoice status follows the payments',
    until: (a) => a.body?.data?.status === 'paid',
    status: 200,
    then: 'the invoice is paid with nothing due',
    shape: INVOICE,
    check: (data) =>
      expect(data).toMatchObject({
        status: 'paid',
        total_paid_amount: '11776.25',
        total_balance_due: '0.00',
      }),
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/payments/payments/?customer_id={customer}&status=completed&payment_method=bank&${JANUARY_WINDOW}`,
    as: 'acme',
    status: 200,
    then: "the seed's filters find the January payment",
    shape: list(PAYMENT),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.payment]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/payments/payment-details/',
    as: 'acme',
    status: 200,
    then: 'the two details paid to the master are listed (the master holds nothing itself)',
    shape: list(PAYMENT_DETAIL),
    check: (data, ctx) =>
      expect(
        data.results
          .map((d: { payment_master_id: string; pay_amount: string }) => [
            d.payment_master_id,
            d.pay_amount,
          ])
          .sort(),
      ).toEqual([
        [ctx.ids.payment, '10000.00'],
        [ctx.ids.payment, '1776.25'],
      ]),
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/payments/payments/history/?customer_id={customer}&${JANUARY_WINDOW}`,
    as: 'acme',
    status: 200,
    then: "January's payment master and what its two details received are answered",
    shape: { ...list(PAYMENT), totals: RECEIVED },
    check: (data, ctx) => {
      expect(ids(data)).toEqual([ctx.ids.payment]);
      expect(data.results[0].amount).toBe('11776.25');
      expect(data.totals).toMatchObject({ total_received: '11776.25', payment_count: 2 });
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/payments/payments/by_customer/?customer_id={customer}&${JANUARY_WINDOW}`,
    as: 'acme',
    status: 200,
    then: "the seed's per-customer totals are answered",
    shape: [{ customer_id: 'string', customer_name: 'string|null', ...RECEIVED }],
    check: (data, ctx) =>
      expect(data).toEqual([
        expect.objectContaining({
          customer_id: ctx.ids.customer,
          customer_name: 'TechCorp Solutions Ltd',
          total_received: '11776.25',
          payment_count: 2,
        }),
      ]),
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/bills/invoices/history/?customer_id={customer}&${JANUARY_WINDOW}&period=monthly`,
    as: 'acme',
    status: 200,
    then: "January's invoice and the seed's totals are answered (explicit dates win over period)",
    shape: { invoices: [INVOICE], count: 'int', totals: BILL_TOTALS },
    check: (data, ctx) => {
      expect(data.invoices.map((i: { id: string }) => i.id)).toEqual([ctx.ids.invoice]);
      expect(data.totals).toMatchObject({
        total_billed: '11776.25',
        total_paid: '11776.25',
        total_due: '0.00',
      });
    },
  },
];

/** Seed 002's customer sub-resources, once the customer has bills and payments. */
export const CUSTOMER_ACCOUNT: Step[] = [
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{customer}/invoices/',
    as: 'acme',
    status: 200,
    then: 'both issued invoices are listed, newest first',
    shape: list(INVOICE),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.february, ctx.ids.invoice]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{customer}/payments/',
    as: 'acme',
    status: 200,
    then: "the customer's payments are listed",
    shape: list(PAYMENT),
    check: (data, ctx) => expect(ids(data)).toContain(ctx.ids.payment),
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/customers/customers/{customer}/payment_history/?${JANUARY_WINDOW}`,
    as: 'acme',
    status: 200,
    then: "January's payments and their total are answered",
    shape: { ...list(PAYMENT), totals: RECEIVED },
    check: (data, ctx) => {
      expect(ids(data)).toEqual([ctx.ids.payment]);
      expect(data.totals).toMatchObject({ total_received: '11776.25', payment_count: 2 });
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/customers/customers/{customer}/bill_history/?${JANUARY_WINDOW}&period=monthly`,
    as: 'acme',
    status: 200,
    then: "January's bill and its totals are answered",
    shape: { ...list(INVOICE), totals: BILL_TOTALS },
    check: (data, ctx) => {
      expect(ids(data)).toEqual([ctx.ids.invoice]);
      expect(data.totals).toMatchObject({ total_billed: '11776.25', total_due: '0.00' });
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{customer}/last_bill/',
    as: 'acme',
    status: 200,
    then: "the last bill is February's",
    shape: INVOICE,
    check: (data, ctx) => expect(data.id).toBe(ctx.ids.february),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{customer}/previous_bill/',
    as: 'acme',
    status: 200,
    then: "the previous bill is January's",
    shape: INVOICE,
    check: (data, ctx) => expect(data.id).toBe(ctx.ids.invoice),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/?search=TechCorp',
    as: 'acme',
    // the customers service keeps the totals from billing's invoice events
    // (the auto_generate drafts' events come first: wait for the payments too, not only the bills)
    until: (a) =>
      a.body?.data?.results?.[0]?.total_billed === '11891.25' &&
      a.body?.data?.results?.[0]?.total_paid === '11776.25',
    status: 200,
    then: 'the totals are both bills, the payments and what is still due',
    shape: list(CUSTOMER),
    check: (data) =>
      expect(data.results).toEqual([
        expect.objectContaining({
          total_billed: '11891.25',
          total_paid: '11776.25',
          total_due: '115.00',
          last_bill_invoice_date: '2025-02-28',
        }),
      ]),
  },
];
