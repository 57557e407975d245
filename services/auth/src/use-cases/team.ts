import {
  AppError,
  buildEvent,
  type AcceptInvitationRequest,
  type InviteMemberRequest,
  type Role,
} from '@ledgerline/contracts';
import { isDuplicateKeyError, newId, type HeldAggregate } from '@ledgerline/platform';
import { newSecret, sha256 } from '../domain/secrets';
import {
  inviteCheck,
  invitationView,
  invitedFullName,
  isUnclaimedInvitee,
  planAcceptance,
  teamView,
  type Invitation,
  type TeamMemberView,
} from '../domain/team';
import type { Membership, User } from '../store/users';
import type { AuthDeps, Caller } from './deps';
import { checkPasswordPolicy, hashPassword, passwordMatches } from './passwords';
import { revokeSessions } from './tokens';

/** A tenant's team as a whole: no document of its own, so a plain guard lock. */
export const teamLockKey = (tenantId: string) => `team:${tenantId}`;

/** How many owners the team has (the last one may neither leave nor step down). */
export const ownerCount = (members: readonly User[], tenantId: string): number =>
  members.filter((u) => u.memberships.some((m) => m.tenant_id === tenantId && m.role === 'owner'))
    .length;

function memberEvent(
  type: 'MemberJoined' | 'MemberLeft',
  tenantId: string,
  correlationId: string | undefined,
  userId: string,
  role: Role,
) {
  return buildEvent(type, {
    tenant_id: tenantId,
    ...(correlationId && { correlation_id: correlationId }),
    data: { tenant_id: tenantId, user_id: userId, role },
  });
}

export async function listTeam(deps: AuthDeps, caller: Caller): Promise<TeamMemberView[]> {
  const [members, invitees] = await Promise.all([
    deps.users.members(caller.tenantId),
    deps.users.invitees(caller.tenantId),
  ]);
  return teamView(members, invitees, caller.tenantId);
}

function assertMayGrant(caller: Caller, role: Role): void {
  if (role === 'owner' && caller.role !== 'owner')
    throw AppError.forbidden('Only an owner can make someone an owner');
}

export interface CreatedInvitation {
  member: TeamMemberView;
  invitation_token: string;
}

/**
 * Invites an e-mail to the caller's team. Nobody joins here: the invitee accepts with the token
 * returned once (Ledgerline sends no e-mail itself), proving an existing account with its own
 * password. The answer is built from the request alone, so it tells the inviter nothing about
 * whether the e-mail already had an account.
 */
export async function inviteMember(
  deps: AuthDeps,
  caller: Caller,
  req: InviteMemberRequest,
): Promise<CreatedInvitation> {
  assertMayGrant(caller, req.role);
  return deps.limits.withinLimit(
    caller.tenantId,
    'staff',
    () => deps.users.teamSize(caller.tenantId),
    () =>
      deps.locks.withLock(teamLockKey(caller.tenantId), async () => {
        const inviter = await deps.users.findById(caller.userId);
        const tenant = inviter?.memberships.find((m) => m.tenant_id === caller.tenantId);
        if (!tenant) throw AppError.forbidden('You are not a member of this tenant');
        const token = newSecret();
        const invitation: Invitation = {
          id: newId('inv'),
          tenant_id: tenant.tenant_id,
          tenant_name: tenant.tenant_name,
          tenant_slug: tenant.tenant_slug,
          role: req.role,
          token_hash: sha256(token),
          first_name: req.first_name ?? '',
          last_name: req.last_name ?? '',
          invited_at: new Date(),
          invited_by: caller.userId,
        };
        await storeInvitation(deps, req.email, invitation);
        return { member: invitationView(req.email, invitation), invitation_token: token };
      }),
  );
}

/** On the account of that e-mail, or on a new account made to carry it. */
async function storeInvitation(deps: AuthDeps, email: string, invitation: Invitation) {
  let username = email;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await deps.users.findByEmail(email);
    if (existing) {
      const stored = await deps.aggregates.guard(
        deps.users.aggregate,
        existing._id,
        async (user) => {
          const fresh = await deps.users.findById(existing._id);
          if (!fresh) return false; // an unclaimed invitee deleted a moment ago: start over
          const check = inviteCheck(fresh, invitation.tenant_id);
          if (check === 'already_member')
            throw AppError.conflict('duplicate', 'This user is already a member of the team');
          if (check === 'already_invited')
            throw AppError.conflict(
              'duplicate',
              'This e-mail already has a pending invitation to the team',
            );
          await user.change<User>(undefined, () => ({
            set: { invitations: [...fresh.invitations, invitation] },
          }));
          return true;
        },
      );
      if (stored) return;
      continue;
    }
    const userId = newId('usr');
    try {
      await deps.users.insert(
        {
          _id: userId,
          username,
          email,
          full_name: invitedFullName(email, invitation.first_name, invitation.last_name),
          password_hash: '',
          invitation_hash: null,
          platform_admin: false,
          memberships: [],
          invitations: [invitation],
        },
        [],
      );
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // the e-mail was registered a moment ago (the next round invites that account), or someone's
      // username is this e-mail: a refusal would tell the inviter so, the id serves as well
      if (!(await deps.users.findByEmail(email))) username = userId;
    }
  }
  throw AppError.conflict('busy', 'The resource is busy with another change; retry shortly');
}

/** Drops invitations of a user read under its lock; an account left carrying nothing goes. */
export async function dropInvitations(
  held: HeldAggregate,
  user: User,
  drop: (invitation: Invitation) => boolean,
): Promise<void> {
  const invitations = user.invitations.filter((i) => !drop(i));
  if (invitations.length === user.invitations.length) return;
  if (isUnclaimedInvitee({ ...user, invitations })) await held.remove(undefined);
  else await held.change<User>(undefined, () => ({ set: { invitations } }));
}

const invalidInvitation = () =>
  AppError.validation('Invalid invitation', [
    { field: 'invitation_token', message: 'does not match an open invitation for this email' },
  ]);

/**
 * Accepts an invitation. An account with a password must give that password (it is not changed);
 * a new invitee sets one. A wrong token and a wrong password get the same answer. A tenant owner
 * provisioned without a password sets one with the owner invitation.
 */
export async function acceptInvitation(
  deps: AuthDeps,
  req: AcceptInvitationRequest,
  correlationId?: string,
): Promise<User> {
  checkPasswordPolicy(req.password, deps.passwordMinLength);
  const tokenHash = sha256(req.invitation_token);
  const found = await deps.users.findByEmail(req.email);
  if (!found || planAcceptance(found, tokenHash).kind === 'invalid') {
    // as slow as a real password check, so timing does not tell which part was wrong
    await passwordMatches('', req.password);
    throw invalidInvitation();
  }
  return deps.aggregates.guard(deps.users.aggregate, found._id, async (held) => {
    const user = await deps.users.findById(found._id);
    const plan = planAcceptance(user, tokenHash);
    if (!user || plan.kind === 'invalid') throw invalidInvitation();
    if (plan.kind === 'owner_invitation') {
      const changes = {
        password_hash: await hashPassword(req.password),
        invitation_hash: null,
        ...(req.full_name && { full_name: req.full_name }),
      };
      await held.change<User>(undefined, () => ({ set: changes }));
      return { ...user, ...changes };
    }
    const { invitation } = plan;
    if (
      plan.passwordCheck === 'verify' &&
      !(await passwordMatches(user.password_hash, req.password))
    )
      throw invalidInvitation();
    const credentials =
      plan.passwordCheck === 'set'
        ? {
            password_hash: await hashPassword(req.password),
            invitation_hash: null,
            ...(req.full_name && { full_name: req.full_name }),
          }
        : {};
    const invitations = user.invitations.filter((i) => i.id !== invitation.id);
    if (user.memberships.some((m) => m.tenant_id === invitation.tenant_id)) {
      await held.change<User>(undefined, () => ({ set: { invitations } }));
      throw AppError.conflict('duplicate', 'You are already a member of this team');
    }
    const membership: Membership = {
      tenant_id: invitation.tenant_id,
      tenant_name: invitation.tenant_name,
      tenant_slug: invitation.tenant_slug,
      role: invitation.role,
      joined_at: new Date(),
    };
    const changes = { ...credentials, memberships: [...user.memberships, membership], invitations };
    await held.change<User>(undefined, () => ({
      set: changes,
      events: [
        memberEvent('MemberJoined', invitation.tenant_id, correlationId, user._id, invitation.role),
      ],
    }));
    return { ...user, ...changes };
  });
}

/**
 * Removes a member (their sessions in this tenant end at once; the last owner cannot go) or
 * revokes a pending invitation (`inv_...`).
 */
export async function removeMember(
  deps: AuthDeps,
  caller: Caller,
  id: string,
): Promise<'member' | 'invitation'> {
  if (id.startsWith('inv_')) {
    await revokeInvitation(deps, caller, id);
    return 'invitation';
  }
  await deps.locks.withLock(teamLockKey(caller.tenantId), async () => {
    const members = await deps.users.members(caller.tenantId);
    const target = members.find((u) => u._id === id);
    if (!target) throw AppError.notFound('Team member');
    const role = target.memberships.find((m) => m.tenant_id === caller.tenantId)?.role;
    if (role === 'owner') {
      if (caller.role !== 'owner') throw AppError.forbidden('Only an owner can remove an owner');
      if (ownerCount(members, caller.tenantId) <= 1)
        throw AppError.conflict('last_owner', 'The last owner of a tenant cannot be removed');
    }
    await deps.aggregates.change<User>(deps.users.aggregate, { id }, (fresh) => {
      const role = fresh.memberships.find((m) => m.tenant_id === caller.tenantId)?.role ?? 'member';
      return {
        set: { memberships: fresh.memberships.filter((m) => m.tenant_id !== caller.tenantId) },
        events: [memberEvent('MemberLeft', caller.tenantId, caller.correlationId, id, role)],
      };
    });
    const sessions = await deps.sessions.active(id, caller.tenantId);
    await revokeSessions(
      deps,
      sessions.map((s) => s._id),
      'membership_removed',
    );
  });
  return 'member';
}

async function revokeInvitation(deps: AuthDeps, caller: Caller, invitationId: string) {
  const ofThisTeam = (i: Invitation) => i.id === invitationId && i.tenant_id === caller.tenantId;
  await deps.locks.withLock(teamLockKey(caller.tenantId), async () => {
    const invitee = (await deps.users.invitees(caller.tenantId)).find((u) =>
      u.invitations.some(ofThisTeam),
    );
    if (!invitee) throw AppError.notFound('Team member');
    await deps.aggregates.guard(deps.users.aggregate, invitee._id, async (held) => {
      const fresh = await deps.users.findById(invitee._id);
      const invitation = fresh?.invitations.find(ofThisTeam);
      // accepted (now a member with their own id) or revoked a moment ago
      if (!fresh || !invitation) throw AppError.notFound('Team member');
      if (invitation.role === 'owner' && caller.role !== 'owner')
        throw AppError.forbidden('Only an owner can revoke an invitation to be an owner');
      await dropInvitations(held, fresh, ofThisTeam);
    });
  });
}
