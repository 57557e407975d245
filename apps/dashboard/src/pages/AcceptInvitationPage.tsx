import {
  Alert,
  Anchor,
  Button,
  Container,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { acceptInvitation } from '../api/client';
import { ErrorNote } from '../components/ui';

/**
 * A team invitation accepted with the token the inviter passed on (POST
 * /api/auth/invitations/accept): a new invitee sets a password, an existing account proves it
 * with its own; then they sign in.
 */
export default function AcceptInvitationPage() {
  const [error, setError] = useState<unknown>(null);
  const [joined, setJoined] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const fullName = String(f.get('full_name') ?? '').trim();
    setError(null);
    try {
      await acceptInvitation({
        email: String(f.get('email')),
        invitation_token: String(f.get('invitation_token')).trim(),
        password: String(f.get('password')),
        ...(fullName && { full_name: fullName }),
      });
      setJoined(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Container size={420} py="xl">
      <main>
        <Title order={1} ta="center" mb="md">
          Join a team
        </Title>
        {joined ? (
          <Alert color="green" role="status" title="You joined the team">
            <Anchor component={Link} to="/signin">
              Sign in
            </Anchor>{' '}
            with your e-mail and password.
          </Alert>
        ) : (
          <Paper withBorder p="lg" radius="md">
            <form onSubmit={submit}>
              <Stack>
                <ErrorNote error={error} />
                <TextInput name="email" type="email" label="E-mail" required autoComplete="email" />
                <TextInput name="invitation_token" label="Invitation token" required />
                <TextInput name="full_name" label="Full name (new accounts)" autoComplete="name" />
                <PasswordInput
                  name="password"
                  label="Password"
                  required
                  autoComplete="new-password"
                />
                <Button type="submit">Accept invitation</Button>
              </Stack>
            </form>
          </Paper>
        )}
        <Text ta="center" mt="md">
          <Anchor component={Link} to="/signin">
            Back to sign in
          </Anchor>
        </Text>
      </main>
    </Container>
  );
}
