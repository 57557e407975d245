import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_TOKEN_PREFIX } from '@ledgerline/contracts';

/** 256 random bits: long enough that a plain SHA-256 is a safe way to store it. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Refresh tokens are "<session id>.<secret>": the id finds the session, the secret proves it. */
export function refreshToken(sessionId: string, secret: string): string {
  return `${sessionId}.${secret}`;
}

export function parseRefreshToken(token: string): { sessionId: string; secret: string } | null {
  const match = /^(ses_[\w-]+)\.([\w-]{20,})$/.exec(token);
  return match ? { sessionId: match[1] as string, secret: match[2] as string } : null;
}

/** API tokens are "llt_<token id>.<secret>" ("." never occurs in ids or base64url secrets). */
export function apiTokenString(tokenId: string, secret: string): string {
  return `${API_TOKEN_PREFIX}${tokenId}.${secret}`;
}

export function parseApiToken(token: string): { tokenId: string; secret: string } | null {
  const match = new RegExp(`^${API_TOKEN_PREFIX}(tok_[\\w-]+)\\.([\\w-]{20,})$`).exec(token);
  return match ? { tokenId: match[1] as string, secret: match[2] as string } : null;
}
