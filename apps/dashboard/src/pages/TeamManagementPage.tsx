import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  changeTeamMemberRole,
  getTeamMembers,
  inviteTeamMember,
  removeTeamMember,
  type Role,
} from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { DataTable, ErrorNote, Loading, day, useLoad } from '../components/ui';

const ROLES: Role[] = ['viewer', 'member', 'admin', 'owner'];

/**
 * Seed 000's team: members and pending invitations, invite by e-mail with a role, change a
 * member's role (their sessions end: the new role applies at their next sign-in), remove.
 */
export default function TeamManagementPage() {
  const { can, me } = useAuth();
  const team = useLoad(getTeamMembers, []);
  const [error, setError] = useState<unknown>(null);
  const [invited, setInvited] = useState<{ email: string; token: string } | null>(null);
  const editable = can('team:update');

  async function invite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setError(null);
    try {
      const email = String(data.get('email'));
      const answer = await inviteTeamMember(email, String(data.get('role')) as Role);
      setInvited({ email, token: answer.invitation_token });
      form.reset();
      team.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function changeRole(id: string, role: Role) {
    setError(null);
    try {
      await changeTeamMemberRole(id, role);
      team.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function remove(id: string) {
    setError(null);
    try {
      await removeTeamMember(id);
      team.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Stack>
      <Title order={2}>Team</Title>
      <ErrorNote error={team.error ?? error} />
      {invited && (
        <Alert color="green" role="status" title={`Invitation for ${invited.email}`}>
          <Text size="sm">
            Send them this token (shown once); they accept it at /app/accept to join:
          </Text>
          <Code data-testid="invitation-token">{invited.token}</Code>
        </Alert>
      )}
      {editable && (
        <form onSubmit={invite}>
          <Group align="end" wrap="wrap">
            <TextInput name="email" type="email" label="E-mail to invite" required />
            <NativeSelect name="role" label="Role" defaultValue="member" data={ROLES} />
            <Button type="submit">Invite</Button>
          </Group>
        </form>
      )}
      <Loading when={team.loading && !team.data} />
      <DataTable
        rows={team.data?.results}
        caption="Members and pending invitations"
        columns={[
          { label: 'E-mail', render: (m) => m.email },
          { label: 'Name', render: (m) => `${m.first_name} ${m.last_name}`.trim() || m.username },
          {
            label: 'Role',
            render: (m) =>
              editable && m.is_active && m.id !== me?.id && m.role ? (
                <NativeSelect
                  size="xs"
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  data={ROLES}
                  onChange={(e) => changeRole(m.id, e.currentTarget.value as Role)}
                />
              ) : (
                (m.role ?? '—')
              ),
          },
          {
            label: 'State',
            render: (m) => <Badge variant="light">{m.is_active ? 'member' : 'invited'}</Badge>,
          },
          { label: 'Joined', render: (m) => (m.date_joined ? day(m.date_joined) : '—') },
          {
            label: 'Actions',
            render: (m) =>
              editable && m.id !== me?.id ? (
                <Button
                  size="compact-sm"
                  color="red"
                  variant="light"
                  onClick={() => remove(m.id)}
                  aria-label={`Remove ${m.email}`}
                >
                  Remove
                </Button>
              ) : null,
          },
        ]}
      />
    </Stack>
  );
}
