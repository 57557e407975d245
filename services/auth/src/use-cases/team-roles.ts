import { AppError, type Role } from '@ledgerline/contracts';
import { memberView, type TeamMemberView } from '../domain/team';
import type { User } from '../store/users';
import type { AuthDeps, Caller } from './deps';
import { ownerCount, teamLockKey } from './team';
import { revokeSessions } from './tokens';

/**
 * Seed 000's team page: a member's role changed, under the team's lock (team.ts) so owner counts
 * stay exact. Only an owner makes or unmakes an owner, and the
 * last owner keeps the role (decided under the team's lock, on the members as they are). The
 * member's sessions in this tenant end: an access token carries its role, so the new one applies
 * from their next sign-in rather than after the old tokens expire.
 */
export async function changeMemberRole(
  deps: AuthDeps,
  caller: Caller,
  id: string,
  role: Role,
): Promise<TeamMemberView> {
  return deps.locks.withLock(teamLockKey(caller.tenantId), async () => {
    const members = await deps.users.members(caller.tenantId);
    const target = members.find((u) => u._id === id);
    if (!target) throw AppError.notFound('Team member');
    const current = target.memberships.find((m) => m.tenant_id === caller.tenantId)!.role;
    if (current === role) return memberView(target, caller.tenantId);
    if ((current === 'owner' || role === 'owner') && caller.role !== 'owner')
      throw AppError.forbidden('Only an owner can make someone an owner or change an owner');
    if (current === 'owner' && ownerCount(members, caller.tenantId) <= 1)
      throw AppError.conflict('last_owner', 'The last owner of a tenant keeps the owner role');
    const { after } = await deps.aggregates.change<User>(deps.users.aggregate, { id }, (fresh) => ({
      set: {
        memberships: fresh.memberships.map((m) =>
          m.tenant_id === caller.tenantId ? { ...m, role } : m,
        ),
      },
    }));
    const sessions = await deps.sessions.active(id, caller.tenantId);
    await revokeSessions(
      deps,
      sessions.map((s) => s._id),
      'role_changed',
    );
    return memberView(after, caller.tenantId);
  });
}
