import {
  AppError,
  buildEvent,
  type AcceptInvitationRequest,
  type InviteMemberRequest,
  type Role,
} from '@ledgerline/contracts';
import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import { newSecret, sha256 } from '../domain/secrets';
import { userLockKey, type Membership, type User } from '../store/users';
import type { AuthDeps, Caller } from './deps';
import { checkPasswordPolicy, hashPassword } from './passwords';
import { revokeSessions } from './tokens';

const teamLockKey = (tenantId: string) => `team:${tenantId}`;

function memberEvent(
  type: 'MemberJoined' | 'MemberLeft',
  caller: Caller,
  userId: string,
  role: Role,
) {
  return buildEvent(type, {
    tenant_id: caller.tenantId,
    correlation_id: caller.correlationId,
    data: { tenant_id: caller.tenantId, user_id: userId, role },
  });
}

/** Seed 000's team member shape. */
export function memberView(user: User, tenantId: string) {
  const membership = user.memberships.find((m) => m.tenant_id === tenantId);
  const [first, ...rest] = user.full_name.split(' ');
  return {
    id: user._id,
    email: user.email,
    username: user.username,
    first_name: first ?? '',
    last_name: rest.join(' '),
    role: membership?.role ?? null,
    is_active: user.password_hash !== '',
    is_staff: membership?.role === 'owner' || membership?.role === 'admin',
    date_joined: (membership?.joined_at ?? user.created_at).toISOString(),
  };
}

export async function listTeam(deps: AuthDeps, caller: Caller) {
  const users = await deps.users.members(caller.tenantId);
  return users.map((u) => memberView(u, caller.tenantId));
}

function assertMayGrant(caller: Caller, role: Role): void {
  if (role === 'owner' && caller.role !== 'owner')
    throw AppError.forbidden('Only an owner can make someone an owner');
}

/**
 * Adds an existing user to the caller's tenant, or creates an invited user who sets a password
 * with the invitation token returned here once (Ledgerline sends no email itself).
 */
export async function inviteMember(
  deps: AuthDeps,
  caller: Caller,
  req: InviteMemberRequest,
): Promise<{ member: ReturnType<typeof memberView>; invitation_token?: string }> {
  assertMayGrant(caller, req.role);
  return deps.limits.withinLimit(
    caller.tenantId,
    'staff',
    async () => (await deps.users.members(caller.tenantId)).length,
    () => addMember(deps, caller, req),
  );
}

async function addMember(
  deps: AuthDeps,
  caller: Caller,
  req: InviteMemberRequest,
): Promise<{ member: ReturnType<typeof memberView>; invitation_token?: string }> {
  return deps.locks.withLock(teamLockKey(caller.tenantId), async () => {
    const inviter = await deps.users.findById(caller.userId);
    const tenant = inviter?.memberships.find((m) => m.tenant_id === caller.tenantId);
    if (!tenant) throw AppError.forbidden('You are not a member of this tenant');
    const membership: Membership = {
      tenant_id: tenant.tenant_id,
      tenant_name: tenant.tenant_name,
      tenant_slug: tenant.tenant_slug,
      role: req.role,
      joined_at: new Date(),
    };
    const existing = await deps.users.findByEmail(req.email);
    if (existing) {
      if (existing.memberships.some((m) => m.tenant_id === caller.tenantId))
        throw AppError.conflict('This user is already a member of the team');
      const updated = await deps.locks.withLock(userLockKey(existing._id), async () => {
        const fresh = (await deps.users.findById(existing._id)) as User;
        await deps.users.update(fresh._id, { memberships: [...fresh.memberships, membership] }, [
          memberEvent('MemberJoined', caller, fresh._id, req.role),
        ]);
        return { ...fresh, memberships: [...fresh.memberships, membership] };
      });
      deps.publishSoon();
      return { member: memberView(updated, caller.tenantId) };
    }
    const secret = newSecret();
    const userId = newId('usr');
    const fullName =
      [req.first_name, req.last_name].filter(Boolean).join(' ') ||
      req.email.split('@')[0] ||
      req.email;
    try {
      const user = await deps.users.insert(
        {
          _id: userId,
          username: req.email,
          email: req.email,
          full_name: fullName,
          password_hash: '',
          invitation_hash: sha256(secret),
          platform_admin: false,
          memberships: [membership],
        },
        [memberEvent('MemberJoined', caller, userId, req.role)],
      );
      deps.publishSoon();
      return { member: memberView(user, caller.tenantId), invitation_token: secret };
    } catch (err) {
      if (isDuplicateKeyError(err))
        throw AppError.conflict('A user with this email already exists');
      throw err;
    }
  });
}

/** An invited user sets a password with the token the inviter was given. */
export async function acceptInvitation(
  deps: AuthDeps,
  req: AcceptInvitationRequest,
): Promise<User> {
  checkPasswordPolicy(req.password, deps.passwordMinLength);
  const user = await deps.users.findByEmail(req.email);
  if (!user?.invitation_hash || user.invitation_hash !== sha256(req.invitation_token)) {
    throw AppError.validation('Invalid invitation', [
      { field: 'invitation_token', message: 'does not match an open invitation for this email' },
    ]);
  }
  const passwordHash = await hashPassword(req.password);
  await deps.locks.withLock(userLockKey(user._id), () =>
    deps.users.update(user._id, {
      password_hash: passwordHash,
      invitation_hash: null,
      ...(req.full_name && { full_name: req.full_name }),
    }),
  );
  return { ...user, password_hash: passwordHash, invitation_hash: null };
}

/** Removes a member: their sessions in this tenant end at once; the last owner cannot go. */
export async function removeMember(deps: AuthDeps, caller: Caller, userId: string): Promise<void> {
  await deps.locks.withLock(teamLockKey(caller.tenantId), async () => {
    const members = await deps.users.members(caller.tenantId);
    const target = members.find((u) => u._id === userId);
    if (!target) throw AppError.notFound('Team member');
    const role = target.memberships.find((m) => m.tenant_id === caller.tenantId)?.role;
    if (role === 'owner') {
      if (caller.role !== 'owner') throw AppError.forbidden('Only an owner can remove an owner');
      const owners = members.filter((u) =>
        u.memberships.some((m) => m.tenant_id === caller.tenantId && m.role === 'owner'),
      );
      if (owners.length <= 1)
        throw AppError.conflict('The last owner of a tenant cannot be removed');
    }
    await deps.locks.withLock(userLockKey(userId), async () => {
      const fresh = (await deps.users.findById(userId)) as User;
      const role = fresh.memberships.find((m) => m.tenant_id === caller.tenantId)?.role ?? 'member';
      await deps.users.update(
        userId,
        { memberships: fresh.memberships.filter((m) => m.tenant_id !== caller.tenantId) },
        [memberEvent('MemberLeft', caller, userId, role)],
      );
    });
    deps.publishSoon();
    const sessions = await deps.sessions.active(userId, caller.tenantId);
    await revokeSessions(
      deps,
      sessions.map((s) => s._id),
      'membership_removed',
    );
  });
}
