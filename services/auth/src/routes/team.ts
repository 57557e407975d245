import { Router } from 'express';
import { AUTH_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { inviteMember, listTeam, removeMember } from '../use-cases/team';
import { changeMemberRole } from '../use-cases/team-roles';

/** Seed 000 team management: /v1/account/team/. */
export function teamRoutes(deps: AuthDeps): Router {
  const router = Router();
  bindRoute(router, R.listTeam, async ({ caller }) => {
    const results = await listTeam(deps, caller);
    return { data: { results, count: results.length, page: 1, per_page: results.length } };
  });
  bindRoute(router, R.inviteMember, async ({ caller, body }) => ({
    data: await inviteMember(deps, caller, body),
    message:
      'Invitation created; share the invitation token with the invitee, who joins on accepting it',
  }));
  bindRoute(router, R.changeMemberRole, async ({ caller, params, body }) => ({
    data: await changeMemberRole(deps, caller, params.id, body.role),
    message: "Role changed; the member's sessions in this tenant have ended",
  }));
  bindRoute(router, R.removeMember, async ({ caller, params }) => {
    const removed = await removeMember(deps, caller, params.id);
    return {
      data: { removed: true },
      message:
        removed === 'invitation'
          ? 'Invitation revoked'
          : 'Member removed; their sessions in this tenant have ended',
    };
  });
  return router;
}
