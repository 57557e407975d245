import { Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { listKams } from '../../api/client';
import { PagedList } from '../../components/PagedList';

/** Seed 002's key account managers and how many customers each has. */
export default function KamsPage() {
  const [search, setSearch] = useState('');
  return (
    <Stack>
      <Title order={2}>Key account managers</Title>
      <PagedList
        load={listKams}
        filters={{ search }}
        caption="KAMs"
        controls={
          <TextInput
            label="Search KAMs"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
        }
        columns={[
          { label: 'Name', render: (k) => k.kam_name },
          { label: 'E-mail', render: (k) => k.email ?? '—' },
          { label: 'Phone', render: (k) => k.phone ?? '—' },
          { label: 'Customers', render: (k) => k.assigned_customers_count },
          { label: 'Active', render: (k) => (k.is_active ? 'yes' : 'no') },
        ]}
      />
    </Stack>
  );
}
