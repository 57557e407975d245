/** Roles and the permissions each grants, as seed 002 names them and extended the same way. */
export const PERMISSIONS = [
  'customers:read',
  'customers:update',
  'bills:read',
  'bills:create',
  'bills:update',
  'payments:read',
  'payments:create',
  'payments:update',
  'credits:read',
  'credits:consume',
  'settings:read',
  'settings:update',
  'team:read',
  'team:update',
  'plans:read',
  'plans:update',
  'usage:read',
  'usage:create',
  /** Webhook endpoints, their secrets and delivery log (issue 15): owner and admin only. */
  'webhooks:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const READ: Permission[] = [
  'customers:read',
  'bills:read',
  'payments:read',
  'credits:read',
  'settings:read',
  'team:read',
  'plans:read',
  'usage:read',
];
/** Not in WRITE: a provider's plans and the subscriptions it grants are its owner's and admins'. */
const WRITE: Permission[] = [
  'customers:update',
  'bills:create',
  'bills:update',
  'payments:create',
  'payments:update',
  'credits:consume',
  /** Reporting metered usage of the provider's subscriptions (POST /api/usage/events). */
  'usage:create',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  member: [...READ, ...WRITE],
  viewer: READ,
};

/** Claims of an access token, shared by the issuer (auth) and every verifier. */
export interface AccessClaims {
  sub: string;
  tid: string;
  role: Role;
  /** The session (or API token) the token belongs to: what logout and revocation name. */
  sid: string;
  /** Set when the user is a platform administrator (seed 003's /api/saas/*). */
  pa?: boolean;
  /** Narrower permissions than the role grants (API tokens scoped at creation). */
  perms?: Permission[];
}

/** Redis key marking a session or API token as revoked; written by auth, read by the gateway. */
export function revokedSessionKey(sid: string): string {
  return `revoked:sid:${sid}`;
}

/** Prefix of API tokens ("llt_<id>.<secret>"), so the gateway can tell them from JWTs. */
export const API_TOKEN_PREFIX = 'llt_';

/** The platform operator's own tenant (seed 003's platform side). */
export const PLATFORM_TENANT_ID = 'ten_platform';
