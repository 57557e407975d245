import { deleteTenantDocuments } from '@ledgerline/platform';
import type { Connection } from 'mongoose';
import type { User } from '../store/users';
import type { AuthDeps } from './deps';
import { dropInvitations } from './team';
import { revokeSessions } from './tokens';

/**
 * Seed 003 tenant deletion, auth's share: the tenant's sessions end at every gateway, its API
 * tokens and sessions are deleted, its memberships and pending invitations removed, and users
 * left without any tenant or invitation (other than platform administrators) are deleted.
 * Repeating it changes nothing.
 */
export async function deleteTenantIdentities(
  deps: AuthDeps,
  connection: Connection,
  tenantId: string,
): Promise<void> {
  const members = await deps.users.members(tenantId);
  for (const member of members) {
    const sessions = await deps.sessions.active(member._id, tenantId);
    await revokeSessions(
      deps,
      sessions.map((s) => s._id),
      'tenant_deleted',
    );
  }
  const tokens = await deps.apiTokens.list(tenantId);
  await deps.revokeInGateways(tokens.map((t) => t._id));
  await deleteTenantDocuments(connection, tenantId);
  for (const invitee of await deps.users.invitees(tenantId)) {
    await deps.aggregates.guard(deps.users.aggregate, invitee._id, async (user) => {
      const fresh = await deps.users.findById(invitee._id);
      if (fresh) await dropInvitations(user, fresh, (i) => i.tenant_id === tenantId);
    });
  }
  for (const member of members) {
    await deps.aggregates.guard(deps.users.aggregate, member._id, async (user) => {
      const fresh = await deps.users.findById(member._id);
      if (!fresh) return;
      const remaining = fresh.memberships.filter((m) => m.tenant_id !== tenantId);
      // one still invited elsewhere stays, so that invitation can be accepted
      const orphan = remaining.length === 0 && fresh.invitations.length === 0;
      if (orphan && !fresh.platform_admin) await user.remove(undefined);
      else await user.change<User>(undefined, () => ({ set: { memberships: remaining } }));
    });
  }
}
