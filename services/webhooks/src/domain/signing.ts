import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_` +
 * base64 of the key; a signature is `v1,` + base64 HMAC-SHA256, keyed with the decoded key, over
 * `<webhook-id>.<webhook-timestamp>.<body>`. Receivers verify any one of the space-separated
 * signatures of the header (a rotation sends the new and the old one).
 */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes. */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The HMAC key of a secret: the base64-decoded part after `whsec_`. */
export function keyOfSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/** `v1,<base64 signature>` of one message under one secret. */
export function signature(secret: string, msgId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOfSecret(secret))
    .update(`${msgId}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per secret still signing, newest first. */
export function signatureHeader(
  secrets: readonly string[],
  msgId: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((s) => signature(s, msgId, timestamp, body)).join(' ');
}

/**
 * The secrets that sign at `now`: the current one, and the previous one while its overlap after
 * a rotation lasts.
 */
export function signingSecrets(
  endpoint: {
    secret: string;
    previous_secret: string | null;
    previous_secret_expires_at: Date | null;
  },
  now: Date,
): string[] {
  const previous =
    endpoint.previous_secret &&
    endpoint.previous_secret_expires_at &&
    endpoint.previous_secret_expires_at.getTime() > now.getTime()
      ? [endpoint.previous_secret]
      : [];
  return [endpoint.secret, ...previous];
}
