import { sha256 } from './secrets';
import {
  inviteCheck,
  invitationView,
  invitedFullName,
  isUnclaimedInvitee,
  memberView,
  planAcceptance,
  teamView,
  type Invitation,
  type TeamAccount,
} from './team';

const invitation = (over: Partial<Invitation> = {}): Invitation => ({
  id: 'inv_1',
  tenant_id: 'ten_a',
  tenant_name: 'A Ltd',
  tenant_slug: 'a-ltd',
  role: 'viewer',
  token_hash: sha256('token-a'),
  first_name: 'Vee',
  last_name: 'Ewer',
  invited_at: new Date('2025-03-01T10:00:00.000Z'),
  invited_by: 'usr_owner',
  ...over,
});

const account = (over: Partial<TeamAccount> = {}): TeamAccount => ({
  _id: 'usr_real',
  username: 'realname',
  email: 'real@example.com',
  full_name: 'Real Person',
  password_hash: '$argon2id$stored',
  invitation_hash: null,
  platform_admin: false,
  memberships: [
    { tenant_id: 'ten_b', role: 'owner', joined_at: new Date('2024-01-01T00:00:00.000Z') },
  ],
  invitations: [],
  created_at: new Date('2024-01-01T00:00:00.000Z'),
  ...over,
});

describe('invitationView', () => {
  test('when an invitation is shown, then it holds only what the inviter sent, with the invitation id', () => {
    expect(invitationView('real@example.com', invitation({ role: 'admin' }))).toEqual({
      id: 'inv_1',
      email: 'real@example.com',
      username: 'real@example.com',
      first_name: 'Vee',
      last_name: 'Ewer',
      role: 'admin',
      is_active: false,
      is_staff: true,
      date_joined: '2025-03-01T10:00:00.000Z',
    });
  });
});

describe('memberView', () => {
  test('when a member is shown, then the name splits at the first space and the membership dates it', () => {
    expect(memberView(account({ full_name: 'Mary Ann Smith' }), 'ten_b')).toEqual({
      id: 'usr_real',
      email: 'real@example.com',
      username: 'realname',
      first_name: 'Mary',
      last_name: 'Ann Smith',
      role: 'owner',
      is_active: true,
      is_staff: true,
      date_joined: '2024-01-01T00:00:00.000Z',
    });
  });
});

describe('teamView', () => {
  test("when an existing account is invited, then the team sees the invitation and none of the account's data", () => {
    const member = account({
      _id: 'usr_owner',
      username: 'owner',
      email: 'owner@example.com',
      full_name: 'Own Er',
    });
    member.memberships = [
      { tenant_id: 'ten_a', role: 'owner', joined_at: new Date('2025-01-01T00:00:00.000Z') },
    ];
    const invitee = account({
      invitations: [
        invitation({ tenant_id: 'ten_c', id: 'inv_other', first_name: 'Other', last_name: 'Team' }),
        invitation(),
      ],
    });
    const team = teamView([member], [invitee], 'ten_a');
    expect(team.map((m) => [m.id, m.email, m.first_name, m.last_name, m.is_active])).toEqual([
      ['usr_owner', 'owner@example.com', 'Own', 'Er', true],
      ['inv_1', 'real@example.com', 'Vee', 'Ewer', false],
    ]);
    expect(JSON.stringify(team)).not.toMatch(/usr_real|realname|Real Person|Other|2024/);
  });

  test('when invitations are listed, then the oldest comes first and a member is never listed twice', () => {
    const later = account({
      _id: 'usr_later',
      email: 'later@example.com',
      invitations: [invitation({ id: 'inv_later', invited_at: new Date('2025-03-02T00:00:00Z') })],
    });
    const earlier = account({
      _id: 'usr_earlier',
      email: 'earlier@example.com',
      invitations: [invitation({ id: 'inv_earlier' })],
    });
    const both = account({
      _id: 'usr_both',
      memberships: [{ tenant_id: 'ten_a', role: 'member', joined_at: new Date(0) }],
      invitations: [invitation({ id: 'inv_both' })],
    });
    expect(teamView([both], [later, both, earlier], 'ten_a').map((m) => m.id)).toEqual([
      'usr_both',
      'inv_earlier',
      'inv_later',
    ]);
  });
});

describe('inviteCheck', () => {
  test('when the e-mail is a member, pending or neither for the tenant, then the answer says so', () => {
    expect(inviteCheck(account(), 'ten_b')).toBe('already_member');
    expect(inviteCheck(account({ invitations: [invitation()] }), 'ten_a')).toBe('already_invited');
    expect(inviteCheck(account({ invitations: [invitation()] }), 'ten_c')).toBe('may_invite');
  });
});

describe('invitedFullName', () => {
  test('when names are given, missing or partial, then the new account gets a non-empty name', () => {
    expect(invitedFullName('vee@example.com', 'Vee', 'Ewer')).toBe('Vee Ewer');
    expect(invitedFullName('vee@example.com', '', 'Ewer')).toBe('Ewer');
    expect(invitedFullName('vee@example.com', '', '')).toBe('vee');
  });
});

describe('planAcceptance', () => {
  const token = sha256('token-a');

  test('when an account with a password holds the invitation, then the password must be verified', () => {
    const inv = invitation();
    expect(planAcceptance(account({ invitations: [inv] }), token)).toEqual({
      kind: 'join',
      invitation: inv,
      passwordCheck: 'verify',
    });
  });

  test('when a new invitee without password or tenant holds it, then the password is set', () => {
    const inv = invitation();
    const fresh = account({ password_hash: '', memberships: [], invitations: [inv] });
    expect(planAcceptance(fresh, token)).toEqual({
      kind: 'join',
      invitation: inv,
      passwordCheck: 'set',
    });
  });

  test('when an account without password already belongs to a tenant, then another tenant token opens nothing', () => {
    const owner = account({
      password_hash: '',
      invitation_hash: sha256('owner-token'),
      invitations: [invitation()],
    });
    expect(planAcceptance(owner, token)).toEqual({ kind: 'invalid' });
    expect(planAcceptance(owner, sha256('owner-token'))).toEqual({ kind: 'owner_invitation' });
  });

  test('when the token, the user or the password state do not fit, then it is invalid', () => {
    expect(planAcceptance(null, token)).toEqual({ kind: 'invalid' });
    expect(planAcceptance(account({ invitations: [invitation()] }), sha256('other'))).toEqual({
      kind: 'invalid',
    });
    // an owner invitation cannot reset the password of an activated account
    expect(
      planAcceptance(account({ invitation_hash: sha256('owner-token') }), sha256('owner-token')),
    ).toEqual({ kind: 'invalid' });
  });
});

describe('isUnclaimedInvitee', () => {
  test('when an account never set a password and carries nothing, then it is unclaimed', () => {
    const shell = account({ password_hash: '', memberships: [], invitations: [] });
    expect(isUnclaimedInvitee(shell)).toBe(true);
    expect(isUnclaimedInvitee({ ...shell, invitations: [invitation()] })).toBe(false);
    expect(isUnclaimedInvitee({ ...shell, password_hash: 'x' })).toBe(false);
    expect(isUnclaimedInvitee({ ...shell, invitation_hash: 'h' })).toBe(false);
    expect(isUnclaimedInvitee({ ...shell, platform_admin: true })).toBe(false);
    expect(isUnclaimedInvitee(account({ password_hash: '', invitations: [] }))).toBe(false);
  });
});
