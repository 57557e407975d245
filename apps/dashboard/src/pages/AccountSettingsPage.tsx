import { Alert, Button, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { getAccountSettings, updateAccountSettings } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { ErrorNote, Loading, useLoad } from '../components/ui';

const FIELDS = [
  ['name', 'Account name'],
  ['billing_email', 'Billing e-mail'],
  ['billing_address_line1', 'Address line 1'],
  ['billing_address_line2', 'Address line 2'],
  ['billing_city', 'City'],
  ['billing_state', 'State'],
  ['billing_postal_code', 'Postal code'],
  ['billing_country', 'Country (ISO code, e.g. BD)'],
  ['tax_id', 'Tax id'],
] as const;

/** Seed 000's account settings: the tenant's billing profile (PATCH sends what changed). */
export default function AccountSettingsPage() {
  const { can } = useAuth();
  const settings = useLoad(getAccountSettings, []);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const editable = can('settings:update');

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const changed: Record<string, string | null> = {};
    for (const [key] of FIELDS) {
      const value = String(form.get(key) ?? '').trim();
      if (value !== (settings.data?.[key] ?? ''))
        changed[key] = value === '' && key !== 'name' ? null : value;
    }
    setError(null);
    setSaved(false);
    try {
      await updateAccountSettings(changed);
      setSaved(true);
      settings.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Stack maw={720}>
      <Title order={2}>Account settings</Title>
      <ErrorNote error={settings.error ?? error} />
      {saved && (
        <Alert color="green" role="status">
          Settings saved.
        </Alert>
      )}
      <Loading when={settings.loading && !settings.data} />
      {settings.data && (
        <form onSubmit={save} key={settings.data.updated_at}>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {FIELDS.map(([key, label]) => (
                <TextInput
                  key={key}
                  name={key}
                  label={label}
                  defaultValue={settings.data?.[key] ?? ''}
                  readOnly={!editable}
                />
              ))}
            </SimpleGrid>
            <TextInput
              label="Credit balance"
              value={String(settings.data.credit_balance)}
              readOnly
            />
            {editable && (
              <Button type="submit" w="fit-content">
                Save settings
              </Button>
            )}
          </Stack>
        </form>
      )}
    </Stack>
  );
}
