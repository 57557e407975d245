import type { Role } from '@ledgerline/contracts';
import { sameHash } from './secrets';

/**
 * A tenant's invitation waiting for its invitee: the membership is created only when the invitee
 * accepts it (with the account's own password when the account already has one).
 */
export interface Invitation {
  /** `inv_...`: what the team list and DELETE use, so an account's own id is never shown. */
  id: string;
  tenant_id: string;
  tenant_name: string;
  tenant_slug: string;
  role: Role;
  token_hash: string;
  /** The names as the inviter typed them ('' when not given). */
  first_name: string;
  last_name: string;
  invited_at: Date;
  invited_by: string;
}

/** What these rules read of a user; the store's User extends it. */
export interface TeamAccount {
  _id: string;
  username: string;
  email: string;
  full_name: string;
  password_hash: string;
  invitation_hash: string | null;
  platform_admin: boolean;
  memberships: { tenant_id: string; role: Role; joined_at: Date }[];
  invitations: Invitation[];
  created_at: Date;
}

/** Seed 000's team member shape. */
export interface TeamMemberView {
  id: string;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  role: Role | null;
  is_active: boolean;
  is_staff: boolean;
  date_joined: string;
}

const isStaffRole = (role: Role | null | undefined) => role === 'owner' || role === 'admin';

export function memberView(user: TeamAccount, tenantId: string): TeamMemberView {
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
    is_staff: isStaffRole(membership?.role),
    date_joined: (membership?.joined_at ?? user.created_at).toISOString(),
  };
}

/**
 * A pending invitation as the team sees it: built only from what the inviter sent, so it looks
 * the same whether or not the e-mail already had an account.
 */
export function invitationView(email: string, invitation: Invitation): TeamMemberView {
  return {
    id: invitation.id,
    email,
    username: email,
    first_name: invitation.first_name,
    last_name: invitation.last_name,
    role: invitation.role,
    is_active: false,
    is_staff: isStaffRole(invitation.role),
    date_joined: invitation.invited_at.toISOString(),
  };
}

export function pendingInvitation(user: TeamAccount, tenantId: string): Invitation | undefined {
  return user.invitations.find((i) => i.tenant_id === tenantId);
}

/** The tenant's members first, then its pending invitations, each oldest first. */
export function teamView(
  members: TeamAccount[],
  invitees: TeamAccount[],
  tenantId: string,
): TeamMemberView[] {
  const memberIds = new Set(members.map((m) => m._id));
  const pending = invitees
    .filter((u) => !memberIds.has(u._id))
    .flatMap((u) => {
      const invitation = pendingInvitation(u, tenantId);
      return invitation ? [{ email: u.email, invitation }] : [];
    })
    .sort((a, b) => a.invitation.invited_at.getTime() - b.invitation.invited_at.getTime());
  return [
    ...members.map((u) => memberView(u, tenantId)),
    ...pending.map((p) => invitationView(p.email, p.invitation)),
  ];
}

export type InviteCheck = 'already_member' | 'already_invited' | 'may_invite';

export function inviteCheck(user: TeamAccount, tenantId: string): InviteCheck {
  if (user.memberships.some((m) => m.tenant_id === tenantId)) return 'already_member';
  if (pendingInvitation(user, tenantId)) return 'already_invited';
  return 'may_invite';
}

/** The full name a new invitee's account starts with (required; the invitee may change it). */
export function invitedFullName(email: string, firstName: string, lastName: string): string {
  return [firstName, lastName].filter(Boolean).join(' ') || email.split('@')[0] || email;
}

export type Acceptance =
  | { kind: 'invalid' }
  /** An account with a password proves it is theirs with it; a new invitee's sets it. */
  | { kind: 'join'; invitation: Invitation; passwordCheck: 'verify' | 'set' }
  /** A tenant owner provisioned by a platform admin without a password (membership exists). */
  | { kind: 'owner_invitation' };

/**
 * What an invitation token opens for this account. A token may set a password only on an
 * account that has none and belongs to no tenant yet: otherwise whoever holds one tenant's token
 * could take over the account's other memberships.
 */
export function planAcceptance(user: TeamAccount | null, tokenHash: string): Acceptance {
  if (!user) return { kind: 'invalid' };
  const invitation = user.invitations.find((i) => sameHash(i.token_hash, tokenHash));
  if (invitation) {
    if (user.password_hash !== '') return { kind: 'join', invitation, passwordCheck: 'verify' };
    if (user.memberships.length === 0) return { kind: 'join', invitation, passwordCheck: 'set' };
    return { kind: 'invalid' };
  }
  if (
    user.password_hash === '' &&
    user.invitation_hash &&
    sameHash(user.invitation_hash, tokenHash)
  )
    return { kind: 'owner_invitation' };
  return { kind: 'invalid' };
}

/** An account made only to carry invitations, never activated, with nothing left to carry. */
export function isUnclaimedInvitee(user: TeamAccount): boolean {
  return (
    user.password_hash === '' &&
    !user.invitation_hash &&
    !user.platform_admin &&
    user.memberships.length === 0 &&
    user.invitations.length === 0
  );
}
