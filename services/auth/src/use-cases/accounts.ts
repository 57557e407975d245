import {
  AppError,
  buildEvent,
  type LoginRequest,
  type RegisterRequest,
} from '@ledgerline/contracts';
import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import { slugify } from '../domain/slug';
import type { Membership, User } from '../store/users';
import type { AuthDeps, Caller } from './deps';
import { checkPasswordPolicy, hashPassword, passwordMatches } from './passwords';
import { revokeSessions, startSession, type IssuedTokens } from './tokens';

/**
 * Seed 001 registration: a user, a profile (our tenant) for them, and the owner role on it,
 * in one document write. Tenants and other services learn of it from the events.
 */
export async function register(
  deps: AuthDeps,
  req: RegisterRequest,
  correlationId: string,
): Promise<User> {
  checkPasswordPolicy(req.password, deps.passwordMinLength);
  const tenantName =
    req.type === 'organization' ? (req.organization_name as string) : req.full_name;
  return createUserWithTenant(deps, {
    username: req.username,
    email: req.email,
    fullName: req.full_name,
    passwordHash: await hashPassword(req.password),
    tenant: {
      id: newId('ten'),
      name: tenantName,
      slug: slugify(req.type === 'organization' ? tenantName : req.username),
      type: req.type,
    },
    platformAdmin: false,
    correlationId,
  });
}

/**
 * TenantRegistered: a new tenant (seed 001's profile) and its owner, none for a shadow profile.
 * Tenants and the other services learn of every new tenant from it.
 */
export function tenantRegistered(
  tenant: { id: string; name: string; slug: string; type: 'personal' | 'organization' | 'shadow' },
  owner: { user_id: string | null; email: string },
  correlationId: string,
) {
  return buildEvent('TenantRegistered', {
    tenant_id: tenant.id,
    correlation_id: correlationId,
    data: {
      tenant_id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      type: tenant.type,
      owner_user_id: owner.user_id,
      owner_email: owner.email,
    },
  });
}

export async function createUserWithTenant(
  deps: AuthDeps,
  input: {
    username: string;
    email: string;
    fullName: string;
    passwordHash: string;
    tenant: { id: string; name: string; slug: string; type: 'personal' | 'organization' };
    platformAdmin: boolean;
    correlationId: string;
    userId?: string;
  },
): Promise<User> {
  const userId = input.userId ?? newId('usr');
  // the slug is reserved first; a taken one gets a suffix, since a sign-up must not fail on it
  const tenant = {
    ...input.tenant,
    slug: await deps.slugs.reserveFree(input.tenant.slug, input.tenant.id),
  };
  const membership: Membership = {
    tenant_id: tenant.id,
    tenant_name: tenant.name,
    tenant_slug: tenant.slug,
    role: 'owner',
    joined_at: new Date(),
  };
  const events = [
    buildEvent('UserRegistered', {
      tenant_id: tenant.id,
      correlation_id: input.correlationId,
      data: {
        user_id: userId,
        username: input.username,
        email: input.email,
        full_name: input.fullName,
      },
    }),
    buildEvent('MemberJoined', {
      tenant_id: tenant.id,
      correlation_id: input.correlationId,
      data: { tenant_id: tenant.id, user_id: userId, role: 'owner' },
    }),
    tenantRegistered(tenant, { user_id: userId, email: input.email }, input.correlationId),
  ];
  try {
    const user = await deps.users.insert(
      {
        _id: userId,
        username: input.username,
        email: input.email,
        full_name: input.fullName,
        password_hash: input.passwordHash,
        invitation_hash: null,
        platform_admin: input.platformAdmin,
        memberships: [membership],
      },
      events,
    );
    deps.publishSoon([user._id]);
    return user;
  } catch (err) {
    await deps.slugs.release(tenant.slug, tenant.id);
    if (isDuplicateKeyError(err))
      throw AppError.conflict('duplicate', 'A user with this username or email already exists');
    throw err;
  }
}

/** Login with username or email; `tenant_id` picks one of several memberships (default: the first). */
export async function login(
  deps: AuthDeps,
  req: LoginRequest & { tenant_id?: string },
): Promise<IssuedTokens> {
  const user = await deps.users.findByLogin((req.username ?? req.email) as string);
  const ok = await passwordMatches(user?.password_hash ?? '', req.password);
  if (!user || !ok) throw AppError.unauthorized('Invalid username or password');
  const membership = req.tenant_id
    ? user.memberships.find((m) => m.tenant_id === req.tenant_id)
    : user.memberships[0];
  if (!membership) throw AppError.forbidden('This user is not a member of that tenant');
  return startSession(deps, user, membership);
}

/** Switching tenant starts a session in the other tenant; the current one stays valid. */
export async function switchTenant(
  deps: AuthDeps,
  caller: Caller,
  tenantId: string,
): Promise<IssuedTokens> {
  const user = await deps.users.findById(caller.userId);
  const membership = user?.memberships.find((m) => m.tenant_id === tenantId);
  if (!user || !membership) throw AppError.notFound('Tenant');
  return startSession(deps, user, membership);
}

export function listMemberships(user: User) {
  return user.memberships.map((m) => ({
    id: m.tenant_id,
    name: m.tenant_name,
    slug: m.tenant_slug,
    role: m.role,
  }));
}

/** Needs the old password; every other session of the user ends, the caller's stays. */
export async function changePassword(
  deps: AuthDeps,
  caller: Caller,
  oldPassword: string,
  newPassword: string,
): Promise<void> {
  checkPasswordPolicy(newPassword, deps.passwordMinLength, 'new_password');
  const user = await deps.users.findById(caller.userId);
  if (!user || !(await passwordMatches(user.password_hash, oldPassword))) {
    throw AppError.validation('The current password is not correct', [
      { field: 'old_password', message: 'is not correct' },
    ]);
  }
  const passwordHash = await hashPassword(newPassword);
  await deps.aggregates.change<User>(deps.users.aggregate, { id: user._id }, () => ({
    set: { password_hash: passwordHash },
  }));
  const others = (await deps.sessions.active(user._id)).filter(
    (s) => s._id !== caller.sessionId && s.kind === 'password',
  );
  await revokeSessions(
    deps,
    others.map((s) => s._id),
    'password_changed',
  );
}
