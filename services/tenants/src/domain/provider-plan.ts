import {
  AppError,
  formatMinor,
  fromMinorUnits,
  isCurrency,
  toMinor,
  type ChargeInput,
  type ErrorDetail,
  type ProviderPlanRequest,
} from '@ledgerline/contracts';
import { formatQuantity, formatUnitPrice, parseQuantity, parseUnitPrice } from './plan-terms';
import type { LimitMode } from './usage-limits';

/**
 * A provider's plan terms (issue 18), pure: the request (with DjaoDjin's spellings) checked and
 * turned into stored terms: money in integer minor units, usage prices and quantities in the
 * exact strings of plan-terms.ts. Every problem is a 422 detail naming its field.
 */

export type PlanInterval = 'month' | 'year';
export type PriceModel = 'per_unit' | 'graduated' | 'volume' | 'package';

export interface StoredTier {
  up_to_micros: string | null;
  unit_price_micros: string;
  flat_amount_minor: number;
}

export type StoredCharge =
  | { kind: 'flat'; code: string; name: string; amount_minor: number }
  | { kind: 'per_seat'; code: string; name: string; unit_amount_minor: number }
  | {
      kind: 'usage';
      code: string;
      name: string;
      metric: string;
      model: PriceModel;
      unit_price_micros?: string;
      tiers?: StoredTier[];
      package_size_micros?: string;
      package_amount_minor?: number;
      free_units_micros: string;
    };

/** What a subscription is billed by; changing any of it makes a new plan version. */
export interface PlanTerms {
  currency: string;
  interval: PlanInterval;
  anchor_day: number | null;
  trial_days: number;
  charges: StoredCharge[];
}

/** What may change without a new version. */
export interface PlanHeader {
  code: string;
  name: string;
  description: string | null;
  is_active: boolean;
  limits: Record<string, number>;
  /** How limits on metered usage are enforced at ingestion (domain/usage-limits.ts). */
  limit_mode: LimitMode;
}

const PLAN_CODE = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/;

/** Collects 422 details instead of stopping at the first. */
class Problems {
  readonly details: ErrorDetail[] = [];
  add(field: string, message: string): void {
    this.details.push({ field, message });
  }
  /** Runs a parse; its AppError's details are collected and `fallback` answered. */
  run<T>(fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'validation_error') throw err;
      for (const d of err.details ?? []) this.details.push(d);
      return fallback;
    }
  }
  throwIfAny(): void {
    if (this.details.length > 0)
      throw AppError.validation(
        this.details.map((d) => `${d.field}: ${d.message}`).join('; '),
        this.details,
      );
  }
}

/** One value under two spellings; both sent and different is a problem. */
function either<T>(problems: Problems, a: [string, T | undefined], b: [string, T | undefined]) {
  if (a[1] !== undefined && b[1] !== undefined && a[1] !== b[1])
    problems.add(a[0], `and ${b[0]} name the same field: send one`);
  return a[1] ?? b[1];
}

/**
 * The plan's header and terms after `body` is applied to `current` (null on create). `metrics`
 * are the provider's billable metric codes.
 */
export function planFromRequest(
  body: ProviderPlanRequest,
  current: { header: PlanHeader; terms: PlanTerms } | null,
  metrics: ReadonlySet<string>,
): { header: PlanHeader; terms: PlanTerms } {
  const p = new Problems();
  const code = either(p, ['code', body.code], ['slug', body.slug])?.toLowerCase();
  const name = either(p, ['name', body.name], ['title', body.title]);
  const currency = either(p, ['currency', body.currency], ['unit', body.unit])?.toUpperCase();
  const period = body.period_type && (body.period_type === 'monthly' ? 'month' : 'year');
  const interval = either<PlanInterval>(p, ['interval', body.interval], ['period_type', period]);
  if (code !== undefined && !PLAN_CODE.test(code))
    p.add('code', 'must be lowercase letters, digits, - or _ (at most 63)');
  if (currency !== undefined && !isCurrency(currency))
    p.add('currency', 'must be an ISO 4217 currency code');
  if (!current) {
    if (code === undefined) p.add('code', 'is required (or slug)');
    if (name === undefined) p.add('name', 'is required (or title)');
    if (currency === undefined) p.add('currency', 'is required (or unit)');
    if (interval === undefined) p.add('interval', 'is required (or period_type)');
  }
  p.throwIfAny();

  const terms: PlanTerms = {
    currency: currency ?? current!.terms.currency,
    interval: interval ?? current!.terms.interval,
    anchor_day:
      body.anchor_day !== undefined ? body.anchor_day : (current?.terms.anchor_day ?? null),
    trial_days: body.trial_days ?? current?.terms.trial_days ?? 0,
    charges: current?.terms.charges ?? [],
  };
  const chargesSent = body.charges !== undefined || body.period_amount !== undefined;
  if (chargesSent) {
    const inputs: ChargeInput[] = [...(body.charges ?? [])];
    // DjaoDjin's period_amount is its integer minor units (4900 = 49.00 USD), as seed 001 writes amounts
    if (body.period_amount !== undefined) {
      const minor = p.run(0, () =>
        fromMinorUnits(body.period_amount!, terms.currency, 'period_amount'),
      );
      const amount = formatMinor(Math.max(minor, 0), terms.currency);
      if (minor < 0) p.add('period_amount', 'must not be negative');
      inputs.unshift({ kind: 'flat', code: 'base', name: 'Base', amount });
    }
    terms.charges = inputs.map((c, i) =>
      p.run(null as unknown as StoredCharge, () =>
        parseCharge(c, `charges[${i}]`, terms.currency, metrics, p),
      ),
    );
    const seen = new Set<string>();
    inputs.forEach((c, i) => {
      if (seen.has(c.code)) p.add(`charges[${i}].code`, `"${c.code}" is already a charge's code`);
      seen.add(c.code);
    });
  } else if (current && terms.currency !== current.terms.currency && terms.charges.length > 0) {
    p.add('charges', 'must be sent again when the currency changes (their amounts are in it)');
  }
  p.throwIfAny();

  const header: PlanHeader = {
    code: code ?? current!.header.code,
    name: name ?? current!.header.name,
    description:
      body.description !== undefined ? body.description : (current?.header.description ?? null),
    is_active: body.is_active ?? current?.header.is_active ?? true,
    limits: body.limits ?? current?.header.limits ?? {},
    limit_mode: body.limit_mode ?? current?.header.limit_mode ?? 'reject',
  };
  return { header, terms };
}

function nonNegativeMinor(value: string | number, currency: string, field: string): number {
  const minor = toMinor(value, currency, field);
  if (minor < 0)
    throw AppError.validation(`${field} must not be negative`, [
      { field, message: 'must not be negative' },
    ]);
  return minor;
}

function parseCharge(
  c: ChargeInput,
  at: string,
  currency: string,
  metrics: ReadonlySet<string>,
  p: Problems,
): StoredCharge {
  if (c.kind === 'flat')
    return {
      kind: 'flat',
      code: c.code,
      name: c.name,
      amount_minor: nonNegativeMinor(c.amount, currency, `${at}.amount`),
    };
  if (c.kind === 'per_seat')
    return {
      kind: 'per_seat',
      code: c.code,
      name: c.name,
      unit_amount_minor: nonNegativeMinor(c.unit_amount, currency, `${at}.unit_amount`),
    };
  if (!metrics.has(c.metric))
    p.add(`${at}.metric`, `"${c.metric}" is not a billable metric of the provider`);
  const only = (field: keyof typeof c, models: PriceModel[]) => {
    if (c[field] !== undefined && !models.includes(c.model))
      p.add(
        `${at}.${field}`,
        `is for the ${models.join(' and ')} model${models.length > 1 ? 's' : ''} only`,
      );
  };
  only('unit_price', ['per_unit']);
  only('tiers', ['graduated', 'volume']);
  only('package_size', ['package']);
  only('package_amount', ['package']);
  // a volume price has no "first units" to give away: its tier is chosen by the whole quantity
  only('free_units', ['per_unit', 'graduated', 'package']);
  const charge: StoredCharge = {
    kind: 'usage',
    code: c.code,
    name: c.name,
    metric: c.metric,
    model: c.model,
    free_units_micros:
      c.free_units === undefined
        ? '0'
        : p.run('0', () => parseQuantity(c.free_units!, `${at}.free_units`)),
  };
  if (c.model === 'per_unit') {
    if (c.unit_price === undefined) p.add(`${at}.unit_price`, 'is required for the per_unit model');
    else
      charge.unit_price_micros = p.run('0', () =>
        parseUnitPrice(c.unit_price!, currency, `${at}.unit_price`),
      );
  } else if (c.model === 'package') {
    if (c.package_size === undefined)
      p.add(`${at}.package_size`, 'is required for the package model');
    else {
      charge.package_size_micros = p.run('1', () =>
        parseQuantity(c.package_size!, `${at}.package_size`),
      );
      if (charge.package_size_micros === '0') p.add(`${at}.package_size`, 'must be greater than 0');
    }
    if (c.package_amount === undefined)
      p.add(`${at}.package_amount`, 'is required for the package model');
    else
      charge.package_amount_minor = p.run(0, () =>
        nonNegativeMinor(c.package_amount!, currency, `${at}.package_amount`),
      );
  } else if (!c.tiers) {
    p.add(`${at}.tiers`, `are required for the ${c.model} model`);
  } else {
    charge.tiers = parseTiers(c.tiers, `${at}.tiers`, currency, p);
  }
  return charge;
}

/** Tier bounds strictly ascending; the last, and only the last, open-ended (`up_to: null`). */
function parseTiers(
  tiers: NonNullable<Extract<ChargeInput, { kind: 'usage' }>['tiers']>,
  at: string,
  currency: string,
  p: Problems,
): StoredTier[] {
  let previous = -1n;
  return tiers.map((t, i) => {
    const last = i === tiers.length - 1;
    let upTo: string | null = null;
    if (t.up_to === null) {
      if (!last) p.add(`${at}[${i}].up_to`, 'only the last tier is open-ended (null)');
    } else {
      upTo = p.run('0', () => parseQuantity(t.up_to!, `${at}[${i}].up_to`));
      if (last) p.add(`${at}[${i}].up_to`, 'the last tier must be open-ended (null)');
      else if (BigInt(upTo) <= previous || upTo === '0')
        p.add(`${at}[${i}].up_to`, 'tier bounds must be ascending (each above the one before)');
      previous = BigInt(upTo);
    }
    return {
      up_to_micros: upTo,
      unit_price_micros: p.run('0', () =>
        parseUnitPrice(t.unit_price, currency, `${at}[${i}].unit_price`),
      ),
      flat_amount_minor:
        t.flat_amount === undefined
          ? 0
          : p.run(0, () => nonNegativeMinor(t.flat_amount!, currency, `${at}[${i}].flat_amount`)),
    };
  });
}

/** The terms as one comparable text: equal texts, same version. */
export function termsKey(t: PlanTerms): string {
  return JSON.stringify([t.currency, t.interval, t.anchor_day, t.trial_days, t.charges]);
}

/** The billable metrics a version's usage charges read. */
export function metricsOf(terms: PlanTerms): string[] {
  return terms.charges.flatMap((c) => (c.kind === 'usage' ? [c.metric] : []));
}

/** A stored charge as the API shows it: decimal strings in the plan's currency. */
export function chargeView(c: StoredCharge, currency: string) {
  const base = { kind: c.kind, code: c.code, name: c.name };
  if (c.kind === 'flat') return { ...base, amount: formatMinor(c.amount_minor, currency) };
  if (c.kind === 'per_seat')
    return { ...base, unit_amount: formatMinor(c.unit_amount_minor, currency) };
  return {
    ...base,
    metric: c.metric,
    model: c.model,
    ...(c.unit_price_micros !== undefined && {
      unit_price: formatUnitPrice(c.unit_price_micros, currency),
    }),
    ...(c.tiers && {
      tiers: c.tiers.map((t) => ({
        up_to: t.up_to_micros === null ? null : formatQuantity(t.up_to_micros),
        unit_price: formatUnitPrice(t.unit_price_micros, currency),
        flat_amount: formatMinor(t.flat_amount_minor, currency),
      })),
    }),
    ...(c.package_size_micros !== undefined && {
      package_size: formatQuantity(c.package_size_micros),
    }),
    ...(c.package_amount_minor !== undefined && {
      package_amount: formatMinor(c.package_amount_minor, currency),
    }),
    free_units: formatQuantity(c.free_units_micros),
  };
}
