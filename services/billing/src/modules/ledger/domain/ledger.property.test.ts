import fc from 'fast-check';
import { buildEvent, type EventData, type EventEnvelope } from '@ledgerline/contracts';
import { invoiceTotals, lineAmounts, settledStatus, type InvoiceStatus } from '../../invoicing';
import { accountBalance, type EntryLine } from './entry';
import { postingsFor } from './posting';

/**
 * Issue 6's acceptance: for random invoices and random payment histories delivered with
 * duplicates and out of order, the invoice totals equal an independent recomputation and the
 * ledger balances, with each invoice's receivable equal to its balance due. Issue 17 adds credit
 * notes: revenue and VAT payable fall by each note's parts.
 */

const CURRENCIES = ['JPY', 'USD', 'KWD'] as const;

/** Reference rounding, written independently of money.ts: half away from zero, non-negative inputs. */
function refPercent(minor: number, hundredths: number): number {
  const scaled = BigInt(minor) * BigInt(hundredths);
  return Number((scaled * 2n + 10_000n) / 20_000n);
}

interface RefLine {
  sub: number;
  vatRate: number;
  discountRate: number;
}

function refTotals(lines: RefLine[]) {
  let sub = 0;
  let vat = 0;
  let discount = 0;
  for (const l of lines) {
    sub += l.sub;
    vat += refPercent(l.sub, l.vatRate);
    discount += refPercent(l.sub, l.discountRate);
  }
  return { sub, vat, discount, total: sub + vat - discount };
}

type Op =
  | { kind: 'pay'; paymentId: number; share: number }
  | { kind: 'void_payment'; paymentId: number }
  | { kind: 'refund'; paymentId: number; share: number }
  | { kind: 'void_invoice' }
  | { kind: 'credit_note'; share: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      paymentId: fc.nat(6),
      share: fc.integer({ min: 1, max: 100 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('void_payment' as const), paymentId: fc.nat(6) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      paymentId: fc.nat(6),
      share: fc.integer({ min: 1, max: 100 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'void_invoice' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('credit_note' as const),
      share: fc.integer({ min: 1, max: 100 }),
    }),
  },
);

/** A credit note's VAT share, written independently: amount x vat / total, half away from zero. */
function refVatShare(amount: number, vat: number, total: number): number {
  if (total === 0) return 0;
  return Number((BigInt(amount) * BigInt(vat) * 2n + BigInt(total)) / (2n * BigInt(total)));
}

const invoiceArb = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  createdIssued: fc.boolean(),
  customer: fc.constantFrom('cus_a', 'cus_b', null),
  lines: fc.array(
    fc.record({
      sub: fc.integer({ min: 0, max: 50_000_000 }),
      vatRate: fc.integer({ min: 0, max: 10_000 }),
      discountRate: fc.integer({ min: 0, max: 10_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  ops: fc.array(opArb, { maxLength: 12 }),
});

type InvoiceCase = typeof invoiceArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * The invoice aggregate as billing runs it (settlement applies each payment once), producing the
 * events billing would publish, plus what the invoice should read at the end.
 */
function simulate(tenantId: string, index: number, c: InvoiceCase) {
  const amounts = c.lines.map((l) =>
    lineAmounts({ subTotalMinor: l.sub, vatRate: l.vatRate, discountRate: l.discountRate }),
  );
  const totals = invoiceTotals(amounts, 0);
  const invoiceId = `inv_${index}`;
  const events: EventEnvelope[] = [];
  let status: InvoiceStatus = c.createdIssued ? 'unpaid' : 'draft';
  let paid = 0;
  let credited = 0;
  let creditedVat = 0;
  let creditNotes = 0;
  const payments = new Map<number, { amount: number; refunded: number; voided: boolean }>();
  const snapshot = (): EventData<'InvoiceCreated'> => ({
    invoice_id: invoiceId,
    invoice_number: status === 'draft' ? null : `INV-${index}`,
    customer_id: c.customer,
    currency: c.currency,
    status,
    total_minor: totals.totalMinor,
    paid_minor: paid,
    balance_due_minor: totals.totalMinor - credited - paid,
    sub_total_minor: totals.subTotalMinor,
    vat_minor: totals.vatMinor,
    discount_minor: totals.discountMinor,
    issue_date: null,
    due_date: null,
    subscription_id: null,
    dunning_action: null,
  });
  const changed = (
    previous: InvoiceStatus,
    extra: Partial<EventData<'InvoiceStatusChanged'>> = {},
  ) =>
    events.push(
      buildEvent('InvoiceStatusChanged', {
        tenant_id: tenantId,
        data: {
          ...snapshot(),
          previous_status: previous,
          payment_id: null,
          applied_minor: 0,
          payment_change: null,
          refund_id: null,
          ...extra,
        },
      }),
    );
  events.push(buildEvent('InvoiceCreated', { tenant_id: tenantId, data: snapshot() }));
  if (status === 'draft') {
    status = 'unpaid';
    changed('draft');
  }
  let refunds = 0;
  for (const op of c.ops) {
    if (status === 'void') break;
    const previous = status;
    const paymentId = `pay_${index}_${'paymentId' in op ? op.paymentId : 0}`;
    const payment = 'paymentId' in op ? payments.get(op.paymentId) : undefined;
    if (op.kind === 'pay') {
      const due = totals.totalMinor - credited - paid;
      const amount = Math.floor((due * op.share) / 100);
      // a payment id is applied once (settlement's applied_payments); nothing over the balance
      if (payment || amount <= 0) continue;
      payments.set(op.paymentId, { amount, refunded: 0, voided: false });
      paid += amount;
      status = settledStatus(status, totals.totalMinor - credited, paid);
      changed(previous, {
        payment_id: paymentId,
        applied_minor: amount,
        payment_change: 'payment',
      });
    } else if (op.kind === 'void_payment') {
      if (!payment || payment.voided) continue;
      const back = payment.amount - payment.refunded;
      payment.voided = true;
      if (back === 0) continue;
      paid -= back;
      status = settledStatus(status, totals.totalMinor - credited, paid);
      changed(previous, {
        payment_id: paymentId,
        applied_minor: -back,
        payment_change: 'payment_voided',
      });
    } else if (op.kind === 'refund') {
      if (!payment || payment.voided) continue;
      const left = payment.amount - payment.refunded;
      const amount = Math.floor((left * op.share) / 100);
      if (amount <= 0) continue;
      payment.refunded += amount;
      paid -= amount;
      status = settledStatus(status, totals.totalMinor - credited, paid);
      refunds += 1;
      changed(previous, {
        payment_id: paymentId,
        applied_minor: -amount,
        payment_change: 'refund',
        refund_id: `ref_${index}_${refunds}`,
      });
    } else if (op.kind === 'credit_note') {
      // never more than the invoice owes (the payments service's rule)
      const due = totals.totalMinor - credited - paid;
      const amount = Math.floor((due * op.share) / 100);
      if (amount <= 0) continue;
      const vat = refVatShare(amount, totals.vatMinor, totals.totalMinor);
      credited += amount;
      creditedVat += vat;
      creditNotes += 1;
      status = settledStatus(status, totals.totalMinor - credited, paid);
      changed(previous, {
        credit_note: {
          credit_note_id: `cn_${index}_${creditNotes}`,
          credit_note_number: `CN-${index}-${creditNotes}`,
          amount_minor: amount,
          vat_minor: vat,
          net_minor: amount - vat,
        },
      });
    } else if (paid === 0 && credited === 0) {
      status = 'void';
      changed(previous);
    }
  }
  return {
    invoiceId,
    totals,
    events,
    status,
    paid,
    credited,
    creditedVat,
    currency: c.currency,
    customer: c.customer,
  };
}

/** The ledger store's rule in memory: one entry per (tenant, source key), the first one wins. */
function post(events: EventEnvelope[]) {
  const entries = new Map<
    string,
    { tenant: string; currency: string; invoice: string | null; lines: EntryLine[] }
  >();
  for (const event of events) {
    for (const p of postingsFor(event, 'ten_platform')) {
      const key = `${p.tenant_id}|${p.entry.source_key}`;
      if (!entries.has(key)) {
        entries.set(key, {
          tenant: p.tenant_id,
          currency: p.entry.currency,
          invoice: p.entry.invoice_id,
          lines: p.entry.lines,
        });
      }
    }
  }
  return [...entries.values()];
}

describe('ledger property', () => {
  test('when random invoices are paid, credited, voided and refunded with duplicated and reordered deliveries, then totals match a recomputation and the ledger balances', () => {
    fc.assert(
      fc.property(
        fc.array(invoiceArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer(),
        (cases, duplicates, seed) => {
          const tenant = 'ten_prop';
          const invoices = cases.map((c, i) => simulate(tenant, i, c));
          for (const [i, inv] of invoices.entries()) {
            const ref = refTotals(cases[i]!.lines);
            expect([
              inv.totals.subTotalMinor,
              inv.totals.vatMinor,
              inv.totals.discountMinor,
              inv.totals.totalMinor,
            ]).toEqual([ref.sub, ref.vat, ref.discount, ref.total]);
          }
          const delivered = invoices.flatMap((inv) => inv.events);
          // duplicates: the same event again, and the same payload under a new event id
          for (const d of duplicates) {
            const event = delivered[d % delivered.length]!;
            delivered.push(d % 2 === 0 ? event : { ...event, id: `${event.id}-again` });
          }
          // reordered: a seeded shuffle across invoices and within one
          let state = seed;
          for (let i = delivered.length - 1; i > 0; i--) {
            state = (Math.imul(state, 1_103_515_245) + 12_345) | 0;
            const j = Math.abs(state) % (i + 1);
            [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
          }
          const entries = post(delivered);

          for (const currency of CURRENCIES) {
            const lines = entries.filter((e) => e.currency === currency).flatMap((e) => e.lines);
            const debits = lines.reduce((s, l) => s + l.debit_minor, 0);
            const credits = lines.reduce((s, l) => s + l.credit_minor, 0);
            expect(debits).toBe(credits);
          }
          for (const inv of invoices) {
            const lines = entries
              .filter((e) => e.invoice === inv.invoiceId)
              .flatMap((e) => e.lines);
            const receivable = accountBalance(lines, `receivable:${inv.customer ?? 'unassigned'}`);
            const balanceDue =
              inv.status === 'void' ? 0 : inv.totals.totalMinor - inv.credited - inv.paid;
            expect(receivable).toBe(BigInt(balanceDue));
            expect(accountBalance(lines, 'cash')).toBe(BigInt(inv.paid));
            const netCredited = inv.credited - inv.creditedVat;
            const netRevenue =
              inv.status === 'void'
                ? 0
                : inv.totals.subTotalMinor - inv.totals.discountMinor - netCredited;
            expect(-accountBalance(lines, 'revenue')).toBe(BigInt(netRevenue));
            const vatPayable = inv.status === 'void' ? 0 : inv.totals.vatMinor - inv.creditedVat;
            expect(-accountBalance(lines, 'vat_payable')).toBe(BigInt(vatPayable));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
