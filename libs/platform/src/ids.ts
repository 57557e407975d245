import { randomBytes } from 'node:crypto';

/** Opaque, prefixed ids ("inv_5f3k..."): readable in logs, unguessable across tenants. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
