import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedAddressReason } from '../domain/address-class';

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** A URL whose host cannot be used (it resolves to a refused address, or not at all). */
export class UnsafeUrlError extends Error {}

/**
 * Resolves the URL's host (every address it has) and answers the one to connect to, refusing the
 * host when any of its addresses is private, loopback, link-local, multicast or unspecified
 * (unless `allowPrivate`): a name with one public and one private address could otherwise be
 * steered to the private one. The caller connects to exactly this address (no second lookup a
 * DNS rebinding could answer differently).
 */
export async function checkedAddress(url: URL, allowPrivate: boolean): Promise<CheckedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let found: { address: string; family: number }[];
  if (isIP(host)) found = [{ address: host, family: isIP(host) }];
  else {
    try {
      found = await lookup(host, { all: true, verbatim: true });
    } catch (err) {
      throw new UnsafeUrlError(
        `host ${host} does not resolve (${(err as { code?: string }).code ?? 'error'})`,
      );
    }
  }
  if (found.length === 0) throw new UnsafeUrlError(`host ${host} does not resolve`);
  if (!allowPrivate) {
    for (const { address } of found) {
      const reason = refusedAddressReason(address);
      if (reason)
        throw new UnsafeUrlError(
          `host ${host} resolves to ${address}: ${reason} addresses are refused`,
        );
    }
  }
  const chosen = found[0]!;
  return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}
