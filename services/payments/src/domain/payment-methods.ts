/**
 * The payment channels a tenant can accept: seed 000's card processor (stripe) and seed 002's
 * utility channels. Every tenant starts with all of them enabled.
 */
export const PAYMENT_METHODS = [
  { payment_method: 'stripe', display_name: 'Credit/Debit Card' },
  { payment_method: 'bank', display_name: 'Bank Transfer' },
  { payment_method: 'bkash', display_name: 'bKash' },
  { payment_method: 'nagad', display_name: 'Nagad' },
  { payment_method: 'rocket', display_name: 'Rocket' },
  { payment_method: 'cash', display_name: 'Cash' },
  { payment_method: 'cheque', display_name: 'Cheque' },
] as const;

export type PaymentMethod = (typeof PAYMENT_METHODS)[number]['payment_method'];

const CODES = new Set<string>(PAYMENT_METHODS.map((m) => m.payment_method));

/** Free-text spellings seen in the seeds and in the wild, reduced to letters and digits. */
const ALIASES: Record<string, PaymentMethod> = {
  banktransfer: 'bank',
  bankdeposit: 'bank',
  wire: 'bank',
  wiretransfer: 'bank',
  card: 'stripe',
  creditcard: 'stripe',
  debitcard: 'stripe',
  creditdebitcard: 'stripe',
  check: 'cheque',
};

/**
 * The method's code for free text such as seed 002's "Bank Transfer" (bank) or "bKash" (bkash);
 * null when it names no known channel.
 */
export function normalisePaymentMethod(text: string): PaymentMethod | null {
  const squeezed = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (CODES.has(squeezed)) return squeezed as PaymentMethod;
  return ALIASES[squeezed] ?? null;
}
