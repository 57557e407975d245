import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { Counter } from 'prom-client';
import { setBounded } from '../bounded-map';
import {
  AppError,
  ROLE_PERMISSIONS,
  ROLES,
  type AccessClaims,
  type Permission,
  type Role,
} from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { jwksKeySource } from './jwks';
import { processRegistry } from './metrics';

export interface AuthContext {
  userId: string;
  tenantId: string;
  sessionId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  platformAdmin: boolean;
  /** The raw bearer token, forwarded on the rare synchronous call to another service. */
  token: string;
  /** Seconds since the epoch after which the token is no longer valid. */
  expiresAt: number;
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthContext>;
}

const ALGORITHMS: jwt.Algorithm[] = ['RS256'];

/**
 * Verifies access tokens against the auth service's JWKS (keys by `kid`, refreshed at most once
 * per interval per process: see jwks.ts), caching results.
 */
export function createJwksVerifier(opts: {
  jwksUrl: string;
  issuer: string;
  cacheEntries?: number;
  logger?: Logger;
  /** Fewest milliseconds between two JWKS fetches (5 s). */
  minRefreshIntervalMs?: number;
}): TokenVerifier {
  const keys = jwksKeySource({
    jwksUrl: opts.jwksUrl,
    logger: opts.logger,
    minRefreshIntervalMs: opts.minRefreshIntervalMs,
  });
  return cachedVerifier(
    createKeyVerifier({ issuer: opts.issuer, logger: opts.logger, publicKey: keys.keyFor }),
    { maxEntries: opts.cacheEntries },
  );
}

export type RejectionReason = 'malformed' | 'unknown_kid' | 'bad_signature' | 'expired' | 'claims';

/**
 * Refused access tokens by reason. Forged tokens are the attacker's traffic, not our failure: they
 * are counted here and logged at debug, never at error level per request.
 */
const rejectedTokens = new Counter({
  name: 'auth_rejected_tokens_total',
  help: 'Access tokens refused by this process, by reason',
  labelNames: ['reason'] as const,
  registers: [processRegistry],
});

/**
 * Verifies RS256 access tokens with public keys looked up by `kid`. The algorithm is pinned, so
 * `alg: none` and HS256-signed-with-the-public-key tokens are refused, and the issuer is checked.
 */
export function createKeyVerifier(opts: {
  issuer: string;
  /** A PEM (parsed once per kid here) or a parsed key; null for a kid that does not exist. */
  publicKey: (kid: string) => Promise<string | KeyObject | null>;
  logger?: Logger;
}): TokenVerifier {
  // parsing a PEM costs ~5x the signature check itself, so each key is parsed once per kid
  const keyObjects = new Map<string, KeyObject>();
  async function keyFor(kid: string): Promise<KeyObject | null> {
    const cached = keyObjects.get(kid);
    if (cached) return cached;
    const found = await opts.publicKey(kid);
    if (found === null || typeof found !== 'string') return found;
    const key = createPublicKey(found);
    keyObjects.set(kid, key);
    return key;
  }
  function reject(reason: RejectionReason, kid: unknown, message = 'Invalid access token'): never {
    rejectedTokens.inc({ reason });
    opts.logger?.debug({ reason, kid: String(kid).slice(0, 64) }, 'access token refused');
    throw AppError.unauthorized(message);
  }
  return {
    async verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      const kid = decoded?.header.kid;
      if (!decoded || !kid || !ALGORITHMS.includes(decoded.header.alg as jwt.Algorithm)) {
        return reject('malformed', kid);
      }
      const publicKey = await keyFor(kid);
      if (!publicKey) return reject('unknown_kid', kid);
      let claims: jwt.JwtPayload & Partial<AccessClaims>;
      try {
        claims = jwt.verify(token, publicKey, {
          algorithms: ALGORITHMS,
          issuer: opts.issuer,
        }) as jwt.JwtPayload;
      } catch (err) {
        if ((err as Error).name === 'TokenExpiredError')
          return reject('expired', kid, 'Access token has expired');
        return reject('bad_signature', kid);
      }
      try {
        return contextFromClaims(claims, token);
      } catch (err) {
        rejectedTokens.inc({ reason: 'claims' });
        throw err;
      }
    },
  };
}

export function contextFromClaims(
  claims: Partial<AccessClaims> & { exp?: number },
  token: string,
): AuthContext {
  if (
    !claims.sub ||
    !claims.tid ||
    !claims.sid ||
    !claims.role ||
    !ROLES.includes(claims.role) ||
    !claims.exp
  ) {
    throw AppError.unauthorized('Invalid access token');
  }
  const granted = ROLE_PERMISSIONS[claims.role];
  // a scoped token never holds more than its role grants
  const permissions = claims.perms ? granted.filter((p) => claims.perms?.includes(p)) : granted;
  return {
    userId: claims.sub,
    tenantId: claims.tid,
    sessionId: claims.sid,
    role: claims.role,
    permissions: new Set(permissions),
    platformAdmin: claims.pa === true,
    token,
    expiresAt: claims.exp,
  };
}

/**
 * Remembers verified tokens until they expire, so a token is verified once per process rather
 * than on every request. Bounded: the oldest entries are dropped first.
 */
export function cachedVerifier(
  inner: TokenVerifier,
  opts: { maxEntries?: number; now?: () => number } = {},
): TokenVerifier {
  const max = opts.maxEntries ?? 10_000;
  const now = opts.now ?? (() => Date.now() / 1000);
  const cache = new Map<string, AuthContext>();
  return {
    async verify(token) {
      const hit = cache.get(token);
      if (hit && hit.expiresAt > now()) return hit;
      if (hit) cache.delete(token);
      const context = await inner.verify(token);
      setBounded(cache, token, context, max);
      return context;
    },
  };
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Requires a valid bearer token; the tenant always comes from the token, never the request. */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw AppError.unauthorized('Authentication credentials were not provided');
    req.auth = await verifier.verify(token);
    next();
  };
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth) throw AppError.unauthorized();
    if (!req.auth.permissions.has(permission)) {
      throw AppError.forbidden(`This action requires the ${permission} permission`);
    }
    next();
  };
}

/** The verified caller; routes behind `authenticate` call this instead of trusting req.auth. */
export function callerOf(req: { auth?: AuthContext }): AuthContext {
  if (!req.auth) throw AppError.unauthorized();
  return req.auth;
}

/** Who calls and under which request: what every route hands its use cases. */
export interface RequestCaller extends AuthContext {
  requestId: string;
  correlationId: string;
}

export function requestCaller(req: {
  auth?: AuthContext;
  id?: unknown;
  correlationId: string;
}): RequestCaller {
  return { ...callerOf(req), requestId: String(req.id), correlationId: req.correlationId };
}

/** Seed 003's /api/saas/* and other operator actions. */
export const requirePlatformAdmin: RequestHandler = (req, _res, next) => {
  if (!req.auth) throw AppError.unauthorized();
  if (!req.auth.platformAdmin)
    throw AppError.forbidden('This action is reserved to platform administrators');
  next();
};
