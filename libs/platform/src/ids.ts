import { createHash, randomBytes } from 'node:crypto';

/** Opaque, prefixed ids ("inv_5f3k..."): readable in logs, unguessable across tenants. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** How a derived id spells its digest; the defaults for new ids, the options for ids already stored. */
export interface DigestSpelling {
  /** Joins the parts before hashing ("\n"). */
  separator?: string;
  encoding?: 'hex' | 'base64url';
  /** Characters of the digest kept (24). */
  length?: number;
}

/** The SHA-256 digest of the parts, joined and spelt as asked. */
export function digestOf(parts: readonly string[], spelling: DigestSpelling = {}): string {
  return createHash('sha256')
    .update(parts.join(spelling.separator ?? '\n'))
    .digest(spelling.encoding ?? 'hex')
    .slice(0, spelling.length ?? 24);
}

/**
 * An id derived from what makes a thing unique (the tenant and an Idempotency-Key, an entitlement
 * and a period...), so that making it again finds the one made the first time instead of a second:
 * `<prefix>_<digest of the parts>`.
 */
export function deterministicId(
  prefix: string,
  parts: readonly string[],
  spelling?: DigestSpelling,
): string {
  return `${prefix}_${digestOf(parts, spelling)}`;
}
