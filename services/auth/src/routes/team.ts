import { Router } from 'express';
import { inviteMemberRequest, ok } from '@ledgerline/contracts';
import { parseBody, requirePermission } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { inviteMember, listTeam, removeMember } from '../use-cases/team';
import { caller } from './caller';

/** Seed 000 team management: /v1/account/team/. */
export function teamRoutes(deps: AuthDeps): Router {
  const router = Router();
  router.get('/v1/account/team', requirePermission('team:read'), async (req, res) => {
    const results = await listTeam(deps, caller(req));
    res.json(ok({ results, count: results.length, page: 1, per_page: results.length }));
  });
  router.post('/v1/account/team', requirePermission('team:update'), async (req, res) => {
    const invited = await inviteMember(deps, caller(req), parseBody(inviteMemberRequest, req));
    res
      .status(201)
      .json(
        ok(
          invited,
          'Invitation created; share the invitation token with the invitee, who joins on accepting it',
        ),
      );
  });
  router.delete('/v1/account/team/:id', requirePermission('team:update'), async (req, res) => {
    const removed = await removeMember(deps, caller(req), String(req.params.id));
    res.json(
      ok(
        { removed: true },
        removed === 'invitation'
          ? 'Invitation revoked'
          : 'Member removed; their sessions in this tenant have ended',
      ),
    );
  });
  return router;
}
