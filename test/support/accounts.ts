import type request from 'supertest';
import { uniqueId } from './infra';

export type Api = ReturnType<typeof request>;

export const TEST_PASSWORD = 'correct horse battery staple';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface TestSession {
  username: string;
  token: string;
  refresh: string;
  tenantId: string;
  userId: string;
}

/** Logs in through the gateway; fails the test with the error envelope if refused. */
export async function login(
  api: Api,
  username: string,
  password: string,
  tenantId?: string,
): Promise<Omit<TestSession, 'username'>> {
  const res = await api
    .post('/api/auth/login')
    .send({ username, password, ...(tenantId && { tenant_id: tenantId }) });
  expect([res.status, res.body.error]).toEqual([200, undefined]);
  return {
    token: res.body.data.token,
    refresh: res.body.data.refresh_token,
    tenantId: res.body.data.tenant.id,
    userId: res.body.data.user.id,
  };
}

/** A new user owning a new tenant (an organization unless said otherwise), logged in. */
export async function registerAndLogin(
  api: Api,
  label: string,
  type: 'personal' | 'organization' = 'organization',
): Promise<TestSession> {
  const username = uniqueId(label);
  const reg = await api.post('/api/auth/register').send({
    username,
    password: TEST_PASSWORD,
    email: `${username}@example.com`,
    full_name: `${label} Person`,
    type,
    ...(type === 'organization' && { organization_name: `${label} Ltd` }),
  });
  expect([reg.status, reg.body.error]).toEqual([201, undefined]);
  expect(reg.body.data).toMatchObject({
    username,
    email: `${username}@example.com`,
    tenant: { role: 'owner' },
  });
  expect(JSON.stringify(reg.body)).not.toContain(TEST_PASSWORD);
  return { username, ...(await login(api, username, TEST_PASSWORD)) };
}

/** An account (existing or new) joins the owner's team: invited, then accepting with `password`. */
export async function joinTeam(
  api: Api,
  owner: { token: string },
  email: string,
  role: string,
  password: string,
): Promise<void> {
  const invited = await api
    .post('/v1/account/team/')
    .set(bearer(owner.token))
    .send({ email, role });
  expect(invited.status).toBe(201);
  const accepted = await api
    .post('/api/auth/invitations/accept')
    .send({ email, invitation_token: invited.body.data.invitation_token, password });
  expect([accepted.status, accepted.body.error]).toEqual([200, undefined]);
}

/** A new member of the owner's team with `role`, logged in. */
export async function newTeamMember(
  api: Api,
  owner: { token: string },
  role: 'admin' | 'member' | 'viewer',
  label: string,
): Promise<Omit<TestSession, 'username'>> {
  const email = `${uniqueId(label)}@example.com`;
  const password = `${role}-pass`;
  await joinTeam(api, owner, email, role, password);
  return login(api, email, password);
}
