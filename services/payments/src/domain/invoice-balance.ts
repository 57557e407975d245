import { sumMinor } from '@ledgerline/contracts';
import { refundedMinor } from './payment-effects';

/** What one payment holds of its invoice's total, as the payments service counts it. */
export interface HeldPayment {
  status: 'pending' | 'completed' | 'failed' | 'voided';
  amount_minor: number;
  refunds: { amount_minor: number }[];
}

/**
 * The part of the invoice a payment takes up. A pending payment reserves its amount (it may
 * complete at any moment, and completing must not need a second check); a completed one holds
 * what refunds left of it; failed and voided payments hold nothing.
 */
export function heldMinor(p: HeldPayment): number {
  if (p.status === 'pending') return p.amount_minor;
  if (p.status === 'completed') return p.amount_minor - refundedMinor(p);
  return 0;
}

/**
 * What the invoice still owes once every payment already accepted for it is counted: the owner's
 * answer (the payments service holds every payment), not billing's copy, which learns of payments
 * through events a moment later. Never below zero: a surplus can only come from payments accepted
 * before this rule existed, and it is reported by reconciliation.
 */
export function outstandingMinor(totalMinor: number, payments: readonly HeldPayment[]): number {
  return outstandingOfHeld(totalMinor, payments.map(heldMinor));
}

/** The same from what each payment holds (see heldMinor). */
export function outstandingOfHeld(totalMinor: number, held: readonly number[]): number {
  return Math.max(0, sumMinor([totalMinor, -sumMinor([...held])]));
}

/** An invoice's payments as its list holds them (store/invoice-payments.ts). */
export interface ListedBalance {
  /** Payments listed one by one: not folded yet (new, or forgotten before a change). */
  ids: readonly string[];
  /** What the listed payments whose payment was read hold, by id. */
  held: Readonly<Record<string, number>>;
  /** What the folded payments hold together. */
  foldedMinor: number;
}

/**
 * Folds every listed payment whose holding is known (except those in `deciding`, the payments
 * being decided) into the total, so that the list keeps only the payments not known yet and its
 * size does not grow with the invoice's payments. A payment not known (its write not seen yet, or
 * never made) stays listed and holds nothing until a decision reads it. `othersHeld` is what every
 * payment not being decided holds, the folded ones as one sum.
 */
export function foldListed(
  listed: ListedBalance,
  deciding: readonly string[] = [],
): { ids: string[]; foldedMinor: number; othersHeld: number[] } {
  const known = (id: string) => !deciding.includes(id) && listed.held[id] !== undefined;
  const foldedMinor = sumMinor([
    listed.foldedMinor,
    ...listed.ids.filter(known).map((id) => listed.held[id]!),
  ]);
  return {
    ids: listed.ids.filter((id) => !known(id)),
    foldedMinor,
    othersHeld: foldedMinor === 0 ? [] : [foldedMinor],
  };
}
