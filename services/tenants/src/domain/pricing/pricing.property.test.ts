import fc from 'fast-check';
import type { Charge } from './charges';
import { advanceFeeLines, renewalLines } from './lines';
import { priceUsage, type PriceModel, type Tier } from './price-models';
import {
  addUsage,
  emptyUsage,
  mergeUsage,
  usageQuantity,
  type Metric,
  type UsageEvent,
} from './usage';

/**
 * Issue 18's acceptance: for random plans and random event streams, the invoice lines equal an
 * independent recomputation, in exact minor units. The reference below is written the naive way,
 * without units.ts, price-models.ts or usage.ts: quantities straight from the raw events, prices
 * as plain bigint fractions, rounding by hand.
 */

const MILLION = 1_000_000n;

/** A fraction num/den with den > 0; amounts are in minor units. */
interface Fraction {
  num: bigint;
  den: bigint;
}
const frac = (num: bigint, den = 1n): Fraction => ({ num, den });
const add = (a: Fraction, b: Fraction): Fraction =>
  frac(a.num * b.den + b.num * a.den, a.den * b.den);
const mul = (a: Fraction, b: Fraction): Fraction => frac(a.num * b.num, a.den * b.den);
/** Nearest integer, halves away from zero. */
function roundHalfAway(f: Fraction): number {
  const negative = f.num < 0n;
  const abs = negative ? -f.num : f.num;
  const rounded = (2n * abs + f.den) / (2n * f.den);
  return Number(negative ? -rounded : rounded);
}
const minFraction = (a: bigint, b: bigint) => (a < b ? a : b);

/** Quantity in units (millionths / 10^6) x unit price in minor units (millionths / 10^6). */
const units = (millionths: bigint) => frac(millionths, MILLION);

function referencePrice(model: PriceModel, quantity: bigint): number {
  if (quantity <= 0n) return 0; // usage never credits; nothing is entered at 0
  let amount = frac(0n);
  if (model.model === 'per_unit') {
    amount = mul(units(quantity), units(model.unit_price));
  } else if (model.model === 'graduated') {
    let lower = 0n;
    for (const tier of model.tiers) {
      if (quantity > lower) {
        const upper = tier.up_to === null ? quantity : minFraction(quantity, tier.up_to);
        amount = add(amount, mul(units(upper - lower), units(tier.unit_price)));
        amount = add(amount, frac(BigInt(tier.flat_amount_minor)));
      }
      lower = tier.up_to ?? lower;
    }
  } else if (model.model === 'volume') {
    let chosen: Tier | undefined;
    for (const tier of model.tiers) {
      if (!chosen && (tier.up_to === null || quantity <= tier.up_to)) chosen = tier;
    }
    amount = add(
      mul(units(quantity), units(chosen!.unit_price)),
      frac(BigInt(chosen!.flat_amount_minor)),
    );
  } else {
    let packages = 0n;
    for (let covered = model.free_units; covered < quantity; covered += model.package_size)
      packages++;
    amount = frac(packages * BigInt(model.package_amount_minor));
  }
  return roundHalfAway(amount);
}

const METRICS: Record<string, Metric> = {
  calls: { code: 'calls', aggregation: 'count' },
  bytes: { code: 'bytes', aggregation: 'sum', field: 'delta' },
  peak: { code: 'peak', aggregation: 'max', field: 'level' },
  users: { code: 'users', aggregation: 'unique_count', field: 'user' },
  gauge: { code: 'gauge', aggregation: 'latest', field: 'level' },
};

interface RawEvent {
  tx: string;
  minute: number;
  level: bigint;
  delta: bigint;
  user: number;
}

/** The quantity of a metric computed from the raw event list, in millionths. */
function referenceQuantity(metric: string, events: RawEvent[]): bigint {
  if (metric === 'calls') return BigInt(events.length) * MILLION;
  if (metric === 'bytes') return events.reduce((s, e) => s + e.delta, 0n);
  if (metric === 'peak') return events.reduce((m, e) => (e.level > m ? e.level : m), 0n);
  if (metric === 'users') return BigInt(new Set(events.map((e) => e.user)).size) * MILLION;
  const sorted = [...events].sort(
    (a, b) => a.minute - b.minute || (a.tx < b.tx ? -1 : a.tx > b.tx ? 1 : 0),
  );
  return sorted.at(-1)?.level ?? 0n;
}

/** Decimal text of millionths written out in full ("-1.500000"), or a JSON number when whole. */
function wire(millionths: bigint): string | number {
  const negative = millionths < 0n;
  const abs = negative ? -millionths : millionths;
  if (abs % MILLION === 0n) return Number(millionths / MILLION);
  return `${negative ? '-' : ''}${abs / MILLION}.${(abs % MILLION).toString().padStart(6, '0')}`;
}

const toEvent = (e: RawEvent): UsageEvent => ({
  transaction_id: e.tx,
  timestamp: new Date(Date.UTC(2026, 2, 1) + e.minute * 60_000),
  properties: {
    level: wire(e.level),
    delta: wire(e.delta),
    user: e.user % 3 === 0 ? String(e.user) : e.user,
  },
});

const tiersArb: fc.Arbitrary<Tier[]> = fc
  .array(
    fc.record({
      // Whole-unit widths half of the time, so counted quantities land exactly on bounds.
      width: fc.oneof(
        fc.bigInt({ min: 1n, max: 30n }).map((n) => n * MILLION),
        fc.bigInt({ min: 1n, max: 50n * MILLION }),
      ),
      unit_price: fc.bigInt({ min: 0n, max: 2_000_000_000n }),
      flat_amount_minor: fc.integer({ min: 0, max: 100_000 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((raw) => {
    let bound = 0n;
    return raw.map((t, i) => {
      bound += t.width;
      return {
        up_to: i === raw.length - 1 ? null : bound,
        unit_price: t.unit_price,
        flat_amount_minor: t.flat_amount_minor,
      };
    });
  });

const modelArb: fc.Arbitrary<PriceModel> = fc.oneof(
  fc.record({
    model: fc.constant('per_unit' as const),
    unit_price: fc.bigInt({ min: 0n, max: 10_000_000_000n }),
  }),
  fc.record({ model: fc.constant('graduated' as const), tiers: tiersArb }),
  fc.record({ model: fc.constant('volume' as const), tiers: tiersArb }),
  fc.record({
    model: fc.constant('package' as const),
    package_size: fc.bigInt({ min: MILLION / 2n, max: 20n * MILLION }),
    package_amount_minor: fc.integer({ min: 0, max: 1_000_000 }),
    free_units: fc.bigInt({ min: 0n, max: 30n * MILLION }),
  }),
);

const chargesArb: fc.Arbitrary<Charge[]> = fc
  .array(
    fc.oneof(
      fc.record({
        kind: fc.constant('flat' as const),
        amount_minor: fc.integer({ min: 0, max: 10_000_000 }),
      }),
      fc.record({
        kind: fc.constant('per_seat' as const),
        unit_amount_minor: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      fc.record({
        kind: fc.constant('usage' as const),
        metric: fc.constantFrom(...Object.keys(METRICS)),
        model: modelArb,
      }),
    ),
    { maxLength: 8 },
  )
  .map((list) => list.map((c, i) => ({ ...c, code: `c${i}`, name: `Charge ${i}` }) as Charge));

const eventsArb: fc.Arbitrary<RawEvent[]> = fc.uniqueArray(
  fc.record({
    tx: fc.string({ minLength: 1, maxLength: 6 }),
    minute: fc.integer({ min: 0, max: 40 }),
    level: fc.bigInt({ min: 0n, max: 10n * MILLION }),
    delta: fc.bigInt({ min: -2n * MILLION, max: 10n * MILLION }),
    user: fc.integer({ min: 0, max: 40 }),
  }),
  { selector: (e) => e.tx, maxLength: 120 },
);

const MARCH = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };
const APRIL = { start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };

describe('pricing against an independent recomputation', () => {
  test('when random plans bill random event streams, then every line amount is exact', () => {
    fc.assert(
      fc.property(
        chargesArb,
        eventsArb,
        fc.integer({ min: 0, max: 50 }),
        fc.constantFrom('USD', 'JPY', 'KWD'),
        (charges, raw, seats, currency) => {
          const events = raw.map(toEvent);
          const closingUsage = Object.fromEntries(
            Object.values(METRICS).map((m) => [m.code, addUsage(emptyUsage(m), m, events)]),
          );
          const lines = renewalLines({
            charges,
            metrics: METRICS,
            seats,
            currency,
            closing: MARCH,
            closingUsage,
            opening: APRIL,
          });

          const expected: Array<[string, number]> = [];
          for (const c of charges) {
            if (c.kind === 'usage')
              expected.push([c.code, referencePrice(c.model, referenceQuantity(c.metric, raw))]);
          }
          for (const c of charges) {
            if (c.kind === 'flat') expected.push([c.code, c.amount_minor]);
            if (c.kind === 'per_seat') expected.push([c.code, c.unit_amount_minor * seats]);
          }
          expect(lines.map((l) => [l.charge_code, l.amount_minor])).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('when quantities fall on, just below or just above tier bounds, then prices still agree', () => {
    fc.assert(
      fc.property(
        modelArb,
        fc.nat(),
        fc.constantFrom(-1n, 0n, 1n),
        fc.bigInt({ min: 0n, max: 200n * MILLION }),
        (model, pick, nudge, random) => {
          const bounds =
            model.model === 'graduated' || model.model === 'volume'
              ? model.tiers.flatMap((t) => (t.up_to === null ? [] : [t.up_to]))
              : model.model === 'package'
                ? [model.free_units, model.free_units + model.package_size]
                : [];
          const base = bounds.length > 0 && pick % 4 !== 0 ? bounds[pick % bounds.length]! : random;
          const quantity = base + nudge;
          expect(priceUsage(model, quantity)).toBe(referencePrice(model, quantity));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('when a first period is partial, then each fee is its own share rounded half away from zero', () => {
    fc.assert(
      fc.property(
        chargesArb,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 366 }),
        fc.nat(),
        (charges, seats, whole, p) => {
          const part = p % (whole + 1);
          const lines = advanceFeeLines(charges, seats, MARCH, 'USD', { part, whole });
          const expected = charges.flatMap((c) => {
            const full =
              c.kind === 'flat'
                ? c.amount_minor
                : c.kind === 'per_seat'
                  ? c.unit_amount_minor * seats
                  : null;
            return full === null
              ? []
              : [roundHalfAway(frac(BigInt(full) * BigInt(part), BigInt(whole)))];
          });
          expect(lines.map((l) => l.amount_minor)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('when a stream is split into random batches and the states merged, then the quantity is the same', () => {
    fc.assert(
      fc.property(
        eventsArb,
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(...Object.keys(METRICS)),
        (raw, cuts, code) => {
          const metric = METRICS[code]!;
          const events = raw.map(toEvent);
          const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort(
            (a, b) => a - b,
          );
          const bounds = [0, ...points, events.length];
          const batches = bounds.slice(1).map((end, i) => events.slice(bounds[i], end));
          // Merge in reverse batch order, as late batches may arrive first.
          const merged = batches
            .map((batch) => addUsage(emptyUsage(metric), metric, batch))
            .reduceRight((acc, state) => mergeUsage(metric, acc, state), emptyUsage(metric));
          const whole = addUsage(emptyUsage(metric), metric, events);
          expect(usageQuantity(metric, merged)).toBe(usageQuantity(metric, whole));
          expect(usageQuantity(metric, merged)).toBe(referenceQuantity(code, raw));
        },
      ),
      { numRuns: 300 },
    );
  });
});
