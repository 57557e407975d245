import { hash, verify } from '@node-rs/argon2';
import jwt from 'jsonwebtoken';
import {
  AppError,
  buildEvent,
  type AccessClaims,
  type LoginRequest,
  type RegisterRequest,
} from '@ledgerline/contracts';
import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import { slugify } from '../domain/slug';
import type { SigningKeyStore } from '../store/signing-keys';
import type { Membership, User, UserStore } from '../store/users';

export interface AccountsDeps {
  users: UserStore;
  keys: SigningKeyStore;
  issuer: string;
  accessTokenTtlSeconds: number;
  publishSoon: () => void;
}

/** Argon2id (memory-hard), OWASP's minimum profile: 19 MiB, 2 passes. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// A fixed hash to verify against when the user does not exist, so timing does not reveal which logins exist.
let decoyHash: Promise<string> | undefined;

export function userView(user: User) {
  return {
    id: user._id,
    username: user.username,
    email: user.email,
    full_name: user.full_name,
    created_at: new Date(user.created_at).toISOString(),
  };
}

/**
 * Seed 001 registration: a user, a profile (our tenant) for them, and the owner role on it,
 * in one document write. Tenants and other services learn of it from the events.
 */
export async function register(
  deps: AccountsDeps,
  req: RegisterRequest,
  correlationId: string,
): Promise<User> {
  const userId = newId('usr');
  const tenantId = newId('ten');
  const tenantName =
    req.type === 'organization' ? (req.organization_name as string) : req.full_name;
  const membership: Membership = {
    tenant_id: tenantId,
    tenant_name: tenantName,
    tenant_slug: slugify(req.type === 'organization' ? tenantName : req.username),
    role: 'owner',
  };
  const events = [
    buildEvent('UserRegistered', {
      tenant_id: tenantId,
      correlation_id: correlationId,
      data: { user_id: userId, username: req.username, email: req.email, full_name: req.full_name },
    }),
    buildEvent('TenantRegistered', {
      tenant_id: tenantId,
      correlation_id: correlationId,
      data: {
        tenant_id: tenantId,
        name: tenantName,
        slug: membership.tenant_slug,
        type: req.type,
        owner_user_id: userId,
        owner_email: req.email,
      },
    }),
  ];
  try {
    const user = await deps.users.insert(
      {
        _id: userId,
        username: req.username,
        email: req.email,
        full_name: req.full_name,
        password_hash: await hash(req.password, ARGON2),
        platform_admin: false,
        memberships: [membership],
      },
      events,
    );
    deps.publishSoon();
    return user;
  } catch (err) {
    if (isDuplicateKeyError(err))
      throw AppError.conflict('A user with this username or email already exists');
    throw err;
  }
}

export interface IssuedToken {
  token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: ReturnType<typeof userView>;
  tenant: { id: string; name: string; slug: string; role: string };
}

export async function login(deps: AccountsDeps, req: LoginRequest): Promise<IssuedToken> {
  const user = await deps.users.findByLogin((req.username ?? req.email) as string);
  if (!user) {
    decoyHash ??= hash('decoy-password', ARGON2);
    await verify(await decoyHash, req.password);
    throw AppError.unauthorized('Invalid username or password');
  }
  if (!(await verify(user.password_hash, req.password)))
    throw AppError.unauthorized('Invalid username or password');
  const membership = user.memberships[0];
  if (!membership) throw AppError.forbidden('This user is not a member of any tenant');
  return issueToken(deps, user, membership);
}

export async function issueToken(
  deps: AccountsDeps,
  user: User,
  membership: Membership,
): Promise<IssuedToken> {
  const key = await deps.keys.current();
  const claims: AccessClaims = {
    sub: user._id,
    tid: membership.tenant_id,
    role: membership.role,
    ...(user.platform_admin && { pa: true }),
  };
  const token = jwt.sign(claims, key.privateKeyPem, {
    algorithm: 'RS256',
    keyid: key.kid,
    issuer: deps.issuer,
    expiresIn: deps.accessTokenTtlSeconds,
    jwtid: newId('jti'),
  });
  return {
    token,
    token_type: 'Bearer',
    expires_in: deps.accessTokenTtlSeconds,
    user: userView(user),
    tenant: {
      id: membership.tenant_id,
      name: membership.tenant_name,
      slug: membership.tenant_slug,
      role: membership.role,
    },
  };
}
