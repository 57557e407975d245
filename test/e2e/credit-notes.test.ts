import request from 'supertest';
import { eventually } from '../support/infra';
import { bearer, registerAndLogin, type TestSession } from '../support/accounts';
import { createCustomer } from '../support/customers';
import { allText } from '../support/pdf-text';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * Credit notes (issue 17): held against the invoice's balance by the payments service (its
 * owner), numbered in their own gapless series, applied to the invoice and posted to the ledger.
 */
jest.setTimeout(240_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;

beforeAll(async () => {
  platform = await startTestPlatform('cnotes', { basePort: 9700, gatewayPort: 9780 });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await platform?.stop();
});

const auth = (s: TestSession) => bearer(s.token);

interface InvoiceRead {
  id: string;
  status: string;
  details: { id: string }[];
  total_bill_amount: string;
  total_paid_amount: string;
  total_balance_due: string;
  credited_amount: string;
  credit_notes: { id: string; credit_note_number: string; amount: string }[];
}

async function issueInvoice(s: TestSession, customer: string, lines: object[]) {
  const res = await api
    .post('/api/bills/invoices/')
    .set(auth(s))
    .send({ customer_id: customer, status: 'unpaid', currency: 'BDT', details: lines });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as InvoiceRead;
}

const readInvoice = async (s: TestSession, id: string) =>
  (await api.get(`/api/bills/invoices/${id}/`).set(auth(s))).body.data as InvoiceRead;

const creditNote = (s: TestSession, body: object, key?: string) => {
  const req = api.post('/api/bills/credit-notes/').set(auth(s));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
};

interface Tx {
  kind: string;
  currency: string;
  lines: { account: string; debit: string; credit: string }[];
}
const cents = (s: string) => Math.round(Number(s) * 100);
const balanceOf = (entries: Tx[], account: string) =>
  entries
    .flatMap((e) => e.lines)
    .filter((l) => l.account === account)
    .reduce((sum, l) => sum + cents(l.debit) - cents(l.credit), 0);

describe('credit notes', () => {
  test('when lines of a partly paid invoice are credited, then its balance, the ledger and its GET show the note, and a payment can no longer take what was credited', async () => {
    const s = await registerAndLogin(api, 'cnote');
    const customer = await createCustomer(api, s.token, 'Credit Customer');
    // 1000.00 + 15 % VAT = 1150.00, and 200.00 without VAT: 1350.00
    const invoice = await issueInvoice(s, customer, [
      { sub_total: '1000.00', vat_rate: 15 },
      { sub_total: '200.00' },
    ]);
    const paid = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_method: 'Cash',
      invoice_master_id: invoice.id,
      amount: '1000.00',
    });
    expect(paid.status).toBe(201);

    const created = await creditNote(s, {
      invoice_id: invoice.id,
      lines: [{ invoice_detail_id: invoice.details[0]!.id, amount: '115.00' }],
      reason: 'Damaged router',
    });
    expect([created.status, created.body.error]).toEqual([201, undefined]);
    expect(created.body.data).toMatchObject({
      credit_note_number: 'CN-000001',
      status: 'issued',
      invoice_id: invoice.id,
      customer_id: customer,
      currency: 'BDT',
      amount: '115.00',
      vat_amount: '15.00',
      net_amount: '100.00',
      reason: 'Damaged router',
    });
    const noteId = created.body.data.id as string;

    // its document: the number, the invoice, the amount and the reason in the text layer
    const pdf = await api
      .get(`/api/bills/credit-notes/${noteId}/pdf`)
      .set(auth(s))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect([pdf.status, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    const text = allText(pdf.body as Buffer);
    for (const expected of [
      'CREDIT NOTE',
      'CN-000001',
      '115.00 BDT',
      'Damaged router',
      'Credit Customer',
    ])
      expect(text).toContain(expected);

    const credited = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.credited_amount === '115.00' && i.total_paid_amount === '1000.00',
    );
    expect(credited).toMatchObject({
      status: 'partial',
      total_bill_amount: '1350.00',
      total_paid_amount: '1000.00',
      total_balance_due: '235.00',
      credit_notes: [{ id: noteId, credit_note_number: 'CN-000001', amount: '115.00' }],
    });

    // the payments service counts the note: 235.01 is more than is owed
    const over = await api.post('/api/payments/payments/').set(auth(s)).send({
      payment_method: 'Cash',
      invoice_master_id: invoice.id,
      amount: '235.01',
    });
    expect(over.status).toBe(422);
    // and a note for more than is owed is refused the same way, using no number
    const tooMuch = await creditNote(s, { invoice_id: invoice.id, amount: '235.01', reason: 'x' });
    expect([tooMuch.status, tooMuch.body.details?.[0]?.field]).toEqual([422, 'amount']);
    const rest = await creditNote(s, {
      invoice_id: invoice.id,
      amount: '235.00',
      reason: 'Goodwill',
    });
    expect([rest.status, rest.body.data?.credit_note_number]).toEqual([201, 'CN-000002']);
    const settled = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.credited_amount === '350.00',
    );
    expect([settled.status, settled.total_balance_due]).toEqual(['paid', '0.00']);

    // the books: balanced, the customer owes nothing, revenue and VAT lowered by the notes' parts
    const entries = await eventually(
      async () =>
        (await api.get('/api/billing/transactions?per_page=100').set(auth(s))).body.data
          .results as Tx[],
      (list) => list.filter((e) => e.kind === 'credit_note').length === 2,
    );
    const debits = entries.flatMap((e) => e.lines).reduce((n, l) => n + cents(l.debit), 0);
    const credits = entries.flatMap((e) => e.lines).reduce((n, l) => n + cents(l.credit), 0);
    expect(debits).toBe(credits);
    expect(balanceOf(entries, `receivable:${customer}`)).toBe(0);
    // 235.00 on an invoice of 1350.00 with 150.00 VAT: 26.11 VAT (26.111...), 208.89 net
    expect(-balanceOf(entries, 'vat_payable')).toBe(15_000 - 1_500 - 2_611);
    expect(-balanceOf(entries, 'revenue')).toBe(120_000 - 10_000 - 20_889);

    const history = await api
      .get(`/api/customers/customers/${customer}/bill_history/`)
      .set(auth(s));
    expect(history.body.data.totals).toEqual({
      currency: 'BDT',
      total_billed: '1350.00',
      total_paid: '1000.00',
      total_credited: '350.00',
      total_due: '0.00',
      count: 1,
    });

    const list = await api.get(`/api/bills/credit-notes/?invoice_id=${invoice.id}`).set(auth(s));
    expect(
      list.body.data.results.map((n: { credit_note_number: string }) => n.credit_note_number),
    ).toEqual(['CN-000002', 'CN-000001']);
    // an invoice with credit notes is not voided
    const voided = await api.post(`/api/bills/invoices/${invoice.id}/void/`).set(auth(s));
    expect(voided.status).toBe(409);
  });

  test('when twelve credit notes race on one invoice, then the numbers are gapless and the notes never exceed what it owes', async () => {
    const s = await registerAndLogin(api, 'cnrace');
    const customer = await createCustomer(api, s.token, 'Race Customer');
    const invoice = await issueInvoice(s, customer, [{ sub_total: '100.00' }]);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        creditNote(s, { invoice_id: invoice.id, amount: '10.00', reason: `race ${i}` }),
      ),
    );
    const issued = answers.filter((a) => a.status === 201);
    expect(issued).toHaveLength(10);
    expect(answers.filter((a) => a.status === 422)).toHaveLength(2);
    expect(issued.map((a) => a.body.data.credit_note_number as string).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `CN-${String(i + 1).padStart(6, '0')}`),
    );
    const done = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.credit_notes.length === 10,
    );
    expect([done.status, done.credited_amount, done.total_balance_due]).toEqual([
      'paid',
      '100.00',
      '0.00',
    ]);
  });

  test('when a request is repeated with its Idempotency-Key, then the same note answers and nothing more is credited; bad input changes nothing', async () => {
    const s = await registerAndLogin(api, 'cnidem');
    const customer = await createCustomer(api, s.token, 'Idem Customer');
    const invoice = await issueInvoice(s, customer, [{ sub_total: '50.00' }]);
    const body = { invoice_id: invoice.id, amount: '5.00', reason: 'Late delivery' };
    const first = await creditNote(s, body, 'cn-key-1');
    const again = await creditNote(s, body, 'cn-key-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.data.id).toBe(first.body.data.id);

    const other = await registerAndLogin(api, 'cnother');
    const foreign = await creditNote(other, body);
    expect(foreign.status).toBe(404);
    const draft = await api
      .post('/api/bills/invoices/')
      .set(auth(s))
      .send({ customer_id: customer, currency: 'BDT', details: [{ sub_total: '10.00' }] });
    const onDraft = await creditNote(s, { ...body, invoice_id: draft.body.data.id });
    expect(onDraft.status).toBe(409);
    const both = await creditNote(s, { ...body, lines: [{ invoice_detail_id: 'x' }] });
    expect(both.status).toBe(422);
    const noReason = await creditNote(s, { invoice_id: invoice.id, amount: '1.00' });
    expect(noReason.status).toBe(422);
    const missing = await api.get('/api/bills/credit-notes/cn_missing/').set(auth(s));
    expect(missing.status).toBe(404);
    const foreignRead = await api
      .get(`/api/bills/credit-notes/${first.body.data.id}/`)
      .set(auth(other));
    expect(foreignRead.status).toBe(404);

    const settled = await eventually(
      () => readInvoice(s, invoice.id),
      (i) => i.credited_amount === '5.00',
    );
    expect([settled.total_balance_due, settled.credit_notes.length]).toEqual(['45.00', 1]);
  });
});
