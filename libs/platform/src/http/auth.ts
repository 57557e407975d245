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
  role: Role;
  permissions: ReadonlySet<Permission>;
  platformAdmin: boolean;
  /** The raw bearer token, forwarded on the rare synchronous call to another service. */
  token: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthContext>;
}

const ALGORITHMS: jwt.Algorithm[] = ['RS256'];

/**
 * Verifies RS256 access tokens against the auth service's JWKS. The algorithm is pinned, so
 * `alg: none` and HS256-with-the-public-key tricks are refused; keys are cached by `kid`.
 */
export function createJwksVerifier(opts: { jwksUrl: string; issuer: string }): TokenVerifier {
  const client = new JwksClient({
    jwksUri: opts.jwksUrl,
    cache: true,
    cacheMaxAge: 10 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: 30,
    timeout: 3000,
  });

  return {
    async verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      const kid = decoded?.header.kid;
      if (!decoded || !kid || !ALGORITHMS.includes(decoded.header.alg as jwt.Algorithm)) {
        throw AppError.unauthorized('Invalid access token');
      }
      let publicKey: string;
      try {
        publicKey = (await client.getSigningKey(kid)).getPublicKey();
      } catch (err) {
        if ((err as Error).name === 'SigningKeyNotFoundError')
          throw AppError.unauthorized('Invalid access token');
        throw AppError.unavailable('Token keys are unavailable, try again shortly');
      }
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

export function contextFromClaims(claims: Partial<AccessClaims>, token: string): AuthContext {
  if (!claims.sub || !claims.tid || !claims.role || !ROLES.includes(claims.role)) {
    throw AppError.unauthorized('Invalid access token');
  }
  return {
    userId: claims.sub,
    tenantId: claims.tid,
    role: claims.role,
    permissions: new Set(ROLE_PERMISSIONS[claims.role]),
    platformAdmin: claims.pa === true,
    token,
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
