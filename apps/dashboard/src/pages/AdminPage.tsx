import { Anchor, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { getTenantSubscription, getTenantUsage, listPlans, listTenants } from '../api/client';
import { PagedList } from '../components/PagedList';
import { DataTable, ErrorNote, useLoad } from '../components/ui';

/** One tenant's subscription and its usage against the plan's limits. */
function TenantDetail({ id }: { id: string }) {
  const detail = useLoad(
    async () => ({ sub: await getTenantSubscription(id), usage: await getTenantUsage(id) }),
    [id],
  );
  if (detail.error) return <ErrorNote error={detail.error} />;
  if (!detail.data) return null;
  const usage = detail.data.usage as unknown as Record<string, unknown>;
  const sub = detail.data.sub as unknown as Record<string, unknown>;
  return (
    <DataTable
      caption="Subscription and usage against limits"
      rows={[
        ...Object.entries(sub)
          .filter(([, v]) => typeof v !== 'object')
          .map(([k, v]) => ({ id: `s-${k}`, k, v: String(v) })),
        ...Object.entries(usage).map(([k, v]) => ({
          id: `u-${k}`,
          k,
          v: typeof v === 'object' ? JSON.stringify(v) : String(v),
        })),
      ]}
      columns={[
        { label: 'Field', render: (r) => r.k },
        { label: 'Value', render: (r) => r.v },
      ]}
    />
  );
}

/** Seed 003 for the platform administrator: tenants, plans, a tenant's subscription and usage. */
export default function AdminPage() {
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const plans = useLoad(listPlans, []);
  return (
    <Stack>
      <Title order={2}>Tenants</Title>
      <PagedList
        load={listTenants}
        filters={{ search }}
        caption="Tenants"
        controls={
          <TextInput
            label="Search tenants"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
        }
        columns={[
          {
            label: 'Name',
            render: (t) => (
              <Anchor component="button" onClick={() => setSelected(t.id)}>
                {t.company_name}
              </Anchor>
            ),
          },
          { label: 'Status', render: (t) => t.status },
          { label: 'Plan', render: (t) => t.plan_name ?? t.plan ?? '—' },
        ]}
      />
      {selected && <TenantDetail id={selected} />}
      <Title order={2}>Plans</Title>
      <ErrorNote error={plans.error} />
      <DataTable
        rows={plans.data?.results}
        caption="Plans"
        columns={[
          { label: 'Plan', render: (p) => p.name },
          { label: 'Price', render: (p) => `${String((p as { price?: string }).price ?? '—')}` },
          {
            label: 'Limits',
            render: (p) => JSON.stringify((p as { limits?: unknown }).limits ?? {}),
          },
        ]}
      />
    </Stack>
  );
}
