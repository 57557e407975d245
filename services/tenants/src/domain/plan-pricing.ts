import type { PlanTerms as StoredTerms, StoredCharge } from './provider-plan';
import type { Charge, PriceModel, Tier } from './pricing';
import type { PlanTerms } from './renewals';

/**
 * A plan version as stored (exact strings, provider-plan.ts) read as the pricing arithmetic's
 * terms (bigints, pricing/). Free units are the first units of a period, given away: for a
 * per-unit or graduated price they are a leading tier at 0 (the later bounds move up by as many
 * units); a package price counts them itself; a volume price takes none (refused when the plan is
 * written).
 */
function tierOf(t: NonNullable<Extract<StoredCharge, { kind: 'usage' }>['tiers']>[number]): Tier {
  return {
    up_to: t.up_to_micros === null ? null : BigInt(t.up_to_micros),
    unit_price: BigInt(t.unit_price_micros),
    flat_amount_minor: t.flat_amount_minor,
  };
}

function modelOf(c: Extract<StoredCharge, { kind: 'usage' }>): PriceModel {
  const free = BigInt(c.free_units_micros);
  const freeTier: Tier = { up_to: free, unit_price: 0n, flat_amount_minor: 0 };
  switch (c.model) {
    case 'per_unit': {
      const unit_price = BigInt(c.unit_price_micros ?? '0');
      if (free === 0n) return { model: 'per_unit', unit_price };
      return {
        model: 'graduated',
        tiers: [freeTier, { up_to: null, unit_price, flat_amount_minor: 0 }],
      };
    }
    case 'graduated': {
      const tiers = (c.tiers ?? []).map(tierOf);
      if (free === 0n) return { model: 'graduated', tiers };
      const shifted = tiers.map((t) => ({ ...t, up_to: t.up_to === null ? null : t.up_to + free }));
      return { model: 'graduated', tiers: [freeTier, ...shifted] };
    }
    case 'volume':
      return { model: 'volume', tiers: (c.tiers ?? []).map(tierOf) };
    case 'package':
      return {
        model: 'package',
        package_size: BigInt(c.package_size_micros ?? '1'),
        package_amount_minor: c.package_amount_minor ?? 0,
        free_units: free,
      };
  }
}

export function pricingCharge(c: StoredCharge): Charge {
  if (c.kind !== 'usage') return c;
  return { kind: 'usage', code: c.code, name: c.name, metric: c.metric, model: modelOf(c) };
}

export function pricingTerms(t: StoredTerms): PlanTerms {
  return {
    interval: t.interval,
    anchor_day: t.anchor_day,
    currency: t.currency,
    charges: t.charges.map(pricingCharge),
  };
}
