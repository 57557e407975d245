import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { getCreditPackages, getPaymentMethods, purchaseCreditPackage } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { ErrorNote, Loading, useLoad } from '../components/ui';

/** Seed 000's credit packages: buying one has the platform invoice the tenant; paid, it grants. */
export default function PurchaseCreditsPage() {
  const { can } = useAuth();
  const packages = useLoad(getCreditPackages, []);
  const methods = useLoad(getPaymentMethods, []);
  const [error, setError] = useState<unknown>(null);
  const [bought, setBought] = useState<string | null>(null);

  async function buy(id: string, name: string) {
    setError(null);
    try {
      await purchaseCreditPackage({ id });
      setBought(`${name}: the platform issued an invoice; the credits arrive once it is paid.`);
    } catch (err) {
      setError(err);
    }
  }

  const enabled = methods.data?.results.filter((m) => m.is_enabled) ?? [];
  return (
    <Stack>
      <Title order={2}>Purchase credits</Title>
      <ErrorNote error={packages.error ?? methods.error ?? error} />
      {bought && (
        <Alert color="green" role="status">
          {bought}
        </Alert>
      )}
      <Text>
        Pay with:{' '}
        {enabled.length ? enabled.map((m) => m.display_name).join(', ') : 'no method enabled'}
      </Text>
      <Loading when={packages.loading} />
      {packages.data?.results.length === 0 && (
        <Text c="dimmed">No credit packages are offered yet.</Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {packages.data?.results
          .filter((p) => p.is_active)
          .map((p) => (
            <Card key={p.id} withBorder>
              <Title order={3} size="h4">
                {p.name}
              </Title>
              <Text>{p.credits} credits</Text>
              <Group justify="space-between" mt="sm">
                <Text fw={700}>
                  {p.price} {p.currency}
                </Text>
                {can('credits:consume') && (
                  <Button onClick={() => buy(p.id, p.name)} aria-label={`Buy ${p.name}`}>
                    Buy
                  </Button>
                )}
              </Group>
            </Card>
          ))}
      </SimpleGrid>
    </Stack>
  );
}
