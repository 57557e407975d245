import type { PlanTerms } from './provider-plan';

/**
 * The platform's own plans (seed 003) on the provider engine (issue 18), pure. A platform plan is
 * an engine plan of the provider "platform": its terms are versioned like any provider's. Seed
 * 003 lists more than the terms bill by (both prices, whichever cycle the plan bills, and whether
 * it is shown as popular), so those fields travel with the plan as its catalogue entry, and the
 * terms are derived from it: a change of catalogue that changes the terms appends a version.
 */
export interface PlatformCatalogue {
  price_monthly_minor: number;
  price_yearly_minor: number;
  billing_cycle: 'monthly' | 'yearly';
  is_popular: boolean;
  trial_enabled: boolean;
  /** Kept when the trial is off (seed 003 shows it), so turning the trial back on restores it. */
  trial_days: number;
}

/** The one charge a platform plan bills: its price for the cycle it bills. */
export const PLATFORM_CHARGE = { code: 'base', name: 'Subscription' } as const;

/** The terms a catalogue entry bills by. */
export function platformTerms(currency: string, c: PlatformCatalogue): PlanTerms {
  const yearly = c.billing_cycle === 'yearly';
  return {
    currency,
    interval: yearly ? 'year' : 'month',
    anchor_day: null,
    trial_days: c.trial_enabled ? c.trial_days : 0,
    charges: [
      {
        kind: 'flat',
        ...PLATFORM_CHARGE,
        amount_minor: yearly ? c.price_yearly_minor : c.price_monthly_minor,
      },
    ],
  };
}

/**
 * A catalogue entry read back from terms alone (a plan stored without one): the price of the
 * other cycle is not known, so it is the same amount; no trial length is known beyond the terms'.
 */
export function catalogueFromTerms(terms: PlanTerms): PlatformCatalogue {
  const amount = terms.charges.reduce(
    (sum, c) => sum + (c.kind === 'flat' ? c.amount_minor : 0),
    0,
  );
  return {
    price_monthly_minor: amount,
    price_yearly_minor: amount,
    billing_cycle: terms.interval === 'year' ? 'yearly' : 'monthly',
    is_popular: false,
    trial_enabled: terms.trial_days > 0,
    trial_days: terms.trial_days > 0 ? terms.trial_days : 14,
  };
}

/** Seed 001 names the platform's plans by the slug of their name ("premium"). */
export function planSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const CODE_BASE_MAX = 56;

/**
 * The engine's code for a new platform plan: its name's slug, and on the n-th try (the code was
 * taken: seed 003 lets two plans share a name) the slug with "-n". Codes never change; seed 001's
 * look-up by the current name's slug is kept apart (the plan store's findByIdOrSlug).
 */
export function platformPlanCode(name: string, attempt: number): string {
  const base = planSlug(name).slice(0, CODE_BASE_MAX).replace(/-+$/, '') || 'plan';
  return attempt <= 1 ? base : `${base}-${attempt}`;
}
