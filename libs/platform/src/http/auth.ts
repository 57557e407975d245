import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import {
  AppError,
  ROLE_PERMISSIONS,
  ROLES,
  type AccessClaims,
  type Permission,
  type Role,
} from '@ledgerline/contracts';

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

/** Verifies access tokens against the auth service's JWKS (keys cached by `kid`), caching results. */
export function createJwksVerifier(opts: {
  jwksUrl: string;
  issuer: string;
  cacheEntries?: number;
}): TokenVerifier {
  return cachedVerifier(jwksVerifier(opts), { maxEntries: opts.cacheEntries });
}

function jwksVerifier(opts: { jwksUrl: string; issuer: string }): TokenVerifier {
  const client = new JwksClient({
    jwksUri: opts.jwksUrl,
    cache: true,
    cacheMaxAge: 10 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: 30,
    timeout: 3000,
  });
  return createKeyVerifier({
    issuer: opts.issuer,
    publicKey: async (kid) => {
      try {
        return (await client.getSigningKey(kid)).getPublicKey();
      } catch (err) {
        if ((err as Error).name === 'SigningKeyNotFoundError') return null;
        throw AppError.unavailable('Token keys are unavailable, try again shortly');
      }
    },
  });
}

/**
 * Verifies RS256 access tokens with public keys looked up by `kid`. The algorithm is pinned, so
 * `alg: none` and HS256-signed-with-the-public-key tokens are refused, and the issuer is checked.
 */
export function createKeyVerifier(opts: {
  issuer: string;
  publicKey: (kid: string) => Promise<string | null>;
}): TokenVerifier {
  // parsing a PEM costs ~5x the signature check itself, so each key is parsed once per kid
  const keyObjects = new Map<string, KeyObject>();
  async function keyFor(kid: string): Promise<KeyObject | null> {
    const cached = keyObjects.get(kid);
    if (cached) return cached;
    const pem = await opts.publicKey(kid);
    if (!pem) return null;
    const key = createPublicKey(pem);
    keyObjects.set(kid, key);
    return key;
  }
  return {
    async verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      const kid = decoded?.header.kid;
      if (!decoded || !kid || !ALGORITHMS.includes(decoded.header.alg as jwt.Algorithm)) {
        throw AppError.unauthorized('Invalid access token');
      }
      const publicKey = await keyFor(kid);
      if (!publicKey) throw AppError.unauthorized('Invalid access token');
      let claims: jwt.JwtPayload & Partial<AccessClaims>;
      try {
        claims = jwt.verify(token, publicKey, {
          algorithms: ALGORITHMS,
          issuer: opts.issuer,
        }) as jwt.JwtPayload;
      } catch (err) {
        const expired = (err as Error).name === 'TokenExpiredError';
        throw AppError.unauthorized(expired ? 'Access token has expired' : 'Invalid access token');
      }
      return contextFromClaims(claims, token);
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
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(token, context);
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
