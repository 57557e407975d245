import { z } from 'zod';
import {
  AppError,
  buildEvent,
  type connectedProfileRequest,
  type shadowProfileRequest,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import type { Membership, User } from '../store/users';
import { tenantRegistered } from './accounts';
import type { AuthDeps, Caller } from './deps';

function taken(): AppError {
  return AppError.conflict('duplicate', 'This profile slug is already taken', [
    { field: 'slug', message: 'is already taken' },
  ]);
}

/**
 * Seed 001 "Creates a connected profile": a new organization whose manager (owner) is the user
 * named in the path, who must be the caller (or a platform admin acting for them).
 */
export async function createConnectedProfile(
  deps: AuthDeps,
  caller: Caller,
  username: string,
  req: z.infer<typeof connectedProfileRequest>,
) {
  const user = await deps.users.findByLogin(username);
  if (!user || (!caller.platformAdmin && user._id !== caller.userId))
    throw AppError.notFound('User');
  const tenantId = newId('ten');
  if (!(await deps.slugs.reserve(req.slug, tenantId))) throw taken();
  const membership: Membership = {
    tenant_id: tenantId,
    tenant_name: req.full_name,
    tenant_slug: req.slug,
    role: 'owner',
    joined_at: new Date(),
  };
  const events = [
    buildEvent('MemberJoined', {
      tenant_id: tenantId,
      correlation_id: caller.correlationId,
      data: { tenant_id: tenantId, user_id: user._id, role: 'owner' },
    }),
    tenantRegistered(
      { id: tenantId, name: req.full_name, slug: req.slug, type: 'organization' },
      { user_id: user._id, email: user.email },
      caller.correlationId,
    ),
  ];
  try {
    await deps.aggregates.change<User>(deps.users.aggregate, { id: user._id }, (fresh) => ({
      set: { memberships: [...fresh.memberships, membership] },
      events,
    }));
  } catch (err) {
    await deps.slugs.release(req.slug, tenantId);
    throw err;
  }
  return {
    id: tenantId,
    slug: req.slug,
    full_name: req.full_name,
    email: user.email,
    type: 'organization' as const,
    role: 'owner',
    created_at: membership.joined_at.toISOString(),
  };
}

/**
 * Seed 001 "Creates a shadow profile": an organization with no manager, for keeping personal data
 * apart from an application's own records. Its registration event travels with its slug.
 */
export async function createShadowProfile(
  deps: AuthDeps,
  caller: Caller,
  req: z.infer<typeof shadowProfileRequest>,
) {
  const tenantId = newId('ten');
  const base =
    req.slug ??
    (req.full_name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) ||
      'profile');
  const event = (slug: string) =>
    tenantRegistered(
      { id: tenantId, name: req.full_name, slug, type: 'shadow' },
      { user_id: null, email: req.email },
      caller.correlationId,
    );
  let slug = base;
  // an explicit slug must be free; a derived one takes the next free suffix
  for (let n = 2; !(await deps.slugs.reserve(slug, tenantId, [event(slug)])); n++) {
    if (req.slug || n > 1000) throw taken();
    slug = `${base.slice(0, 58)}-${n}`;
  }
  deps.publishSoon([slug]);
  return {
    id: tenantId,
    slug,
    full_name: req.full_name,
    email: req.email,
    type: 'shadow' as const,
    role: null,
    created_at: new Date().toISOString(),
  };
}
