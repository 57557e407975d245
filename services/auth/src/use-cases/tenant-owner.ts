import { z } from 'zod';
import { AppError, buildEvent } from '@ledgerline/contracts';
import { ignoreNotFound, isDuplicateKeyError } from '@ledgerline/platform';
import { newSecret, sha256 } from '../domain/secrets';
import type { Membership, User } from '../store/users';
import type { AuthDeps } from './deps';
import { checkPasswordPolicy, hashPassword } from './passwords';

export const provisionOwnerRequest = z.object({
  company_name: z.string().min(1).max(200),
  subdomain: z.string().min(1).max(63),
  email: z.email().transform((e) => e.toLowerCase()),
  first_name: z.string().min(1).max(100),
  last_name: z.string().min(1).max(100),
  password: z.string().min(1).max(256).optional(),
});

/**
 * The owner of a tenant created by a platform admin (seed 003): an existing user becomes its
 * owner; a new email becomes a user with the given password, or with an invitation to accept
 * when none was given. Idempotent: asking twice for the same tenant and email changes nothing.
 */
export async function provisionTenantOwner(
  deps: AuthDeps,
  tenantId: string,
  req: z.infer<typeof provisionOwnerRequest>,
): Promise<{ user_id: string; invitation_token: string | null }> {
  const joined = (userId: string) =>
    buildEvent('MemberJoined', {
      tenant_id: tenantId,
      data: { tenant_id: tenantId, user_id: userId, role: 'owner' },
    });
  const membership: Membership = {
    tenant_id: tenantId,
    tenant_name: req.company_name,
    tenant_slug: req.subdomain,
    role: 'owner',
    joined_at: new Date(),
  };
  if (!(await deps.slugs.reserve(req.subdomain, tenantId))) {
    throw AppError.conflict('duplicate', 'This subdomain is already taken', [
      { field: 'subdomain', message: 'is already taken' },
    ]);
  }
  const existing = await deps.users.findByEmail(req.email);
  if (existing) {
    let invitation: string | null = null;
    await deps.aggregates
      .change<User>(deps.users.aggregate, { id: existing._id }, async (fresh) => {
        if (fresh.memberships.some((m) => m.tenant_id === tenantId)) return undefined;
        // an account that only carries team invitations has no password yet: it gets one here
        // (or an owner invitation to set it), else it could never log in to the tenant it owns
        const unclaimed = fresh.password_hash === '';
        if (unclaimed && req.password) checkPasswordPolicy(req.password, deps.passwordMinLength);
        const token = unclaimed && !req.password ? newSecret() : null;
        invitation = token;
        return {
          set: {
            memberships: [...fresh.memberships, membership],
            ...(unclaimed && req.password && { password_hash: await hashPassword(req.password) }),
            ...(token && { invitation_hash: sha256(token) }),
          },
          events: [joined(fresh._id)],
        };
      })
      .catch(ignoreNotFound);
    return { user_id: existing._id, invitation_token: invitation };
  }
  if (req.password) checkPasswordPolicy(req.password, deps.passwordMinLength);
  const invitation = req.password ? null : newSecret();
  const userId = `usr_owner_${tenantId}`;
  try {
    await deps.users.insert(
      {
        _id: userId,
        username: req.email,
        email: req.email,
        full_name: `${req.first_name} ${req.last_name}`,
        password_hash: req.password ? await hashPassword(req.password) : '',
        invitation_hash: invitation ? sha256(invitation) : null,
        platform_admin: false,
        memberships: [membership],
      },
      [joined(userId)],
    );
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const again = await deps.users.findByEmail(req.email);
    if (again?.memberships.some((m) => m.tenant_id === tenantId))
      return { user_id: again._id, invitation_token: null };
    throw AppError.conflict('duplicate', 'A user with this email or username already exists');
  }
  deps.publishSoon([userId]);
  return { user_id: userId, invitation_token: invitation };
}
