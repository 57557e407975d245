import {
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
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ErrorNote } from '../components/ui';

/** Sign in (seed 001's POST /api/auth) or register an organization (POST /api/auth/register). */
export function SignInPage({ register = false }: { register?: boolean }) {
  const auth = useAuth();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (auth.me) {
    const from = (location.state as { from?: string } | null)?.from?.replace(/^\/app/, '');
    return <Navigate to={from && from !== '/signin' ? from : '/billing'} replace />;
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '');
    setBusy(true);
    setError(null);
    try {
      if (register)
        await auth.register({
          username: v('username'),
          password: v('password'),
          email: v('email'),
          full_name: v('full_name'),
          organization_name: v('organization_name'),
        });
      else await auth.signIn({ username: v('username'), password: v('password') });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Container size={420} py="xl">
      <main>
        <Title order={1} ta="center" mb="md">
          {register ? 'Create your Ledgerline account' : 'Sign in to Ledgerline'}
        </Title>
        {auth.endedNote && !register && (
          <Text role="status" ta="center" mb="sm" data-testid="session-ended">
            {auth.endedNote}
          </Text>
        )}
        <Paper withBorder p="lg" radius="md">
          <form onSubmit={submit}>
            <Stack>
              <ErrorNote error={error} />
              <TextInput
                name="username"
                label={register ? 'Username' : 'Username or e-mail'}
                required
                autoComplete="username"
              />
              {register && (
                <>
                  <TextInput
                    name="email"
                    type="email"
                    label="E-mail"
                    required
                    autoComplete="email"
                  />
                  <TextInput name="full_name" label="Full name" required autoComplete="name" />
                  <TextInput
                    name="organization_name"
                    label="Organization"
                    required
                    autoComplete="organization"
                  />
                </>
              )}
              <PasswordInput
                name="password"
                label="Password"
                required
                autoComplete={register ? 'new-password' : 'current-password'}
              />
              <Button type="submit" loading={busy}>
                {register ? 'Register' : 'Sign in'}
              </Button>
            </Stack>
          </form>
        </Paper>
        <Text ta="center" mt="md">
          {register ? (
            <Anchor component={Link} to="/signin">
              I have an account: sign in
            </Anchor>
          ) : (
            <>
              <Anchor component={Link} to="/register">
                New here? Register
              </Anchor>
              {' · '}
              <Anchor component={Link} to="/accept">
                I have an invitation
              </Anchor>
            </>
          )}
        </Text>
      </main>
    </Container>
  );
}
