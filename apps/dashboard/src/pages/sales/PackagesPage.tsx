import { NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { listPackages } from '../../api/client';
import { PagedList } from '../../components/PagedList';
import { day, money } from '../../components/ui';

/** Seed 002's packages with their active pricing and every pricing's validity. */
export default function PackagesPage() {
  const [search, setSearch] = useState('');
  const [type, setType] = useState('');
  return (
    <Stack>
      <Title order={2}>Packages and pricings</Title>
      <PagedList
        load={listPackages}
        filters={{ search, package_type: type }}
        caption="Packages"
        controls={
          <>
            <TextInput
              label="Search packages"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
            <NativeSelect
              label="Type"
              value={type}
              onChange={(e) => setType(e.currentTarget.value)}
              data={[{ value: '', label: 'All' }, 'bw', 'channel_partner', 'soho']}
            />
          </>
        }
        columns={[
          { label: 'Package', render: (p) => p.package_name },
          { label: 'Type', render: (p) => p.package_type },
          { label: 'Mbps', render: (p) => p.mbps ?? '—' },
          {
            label: 'Active rate',
            render: (p) => (p.active_pricing ? money(p.active_pricing.rate, p.currency) : '—'),
          },
          {
            label: 'Pricings',
            render: (p) =>
              p.pricings
                .map(
                  (r) => `${money(r.rate, p.currency)} ${day(r.val_start_at)}–${day(r.val_end_at)}`,
                )
                .join('; ') || '—',
          },
        ]}
      />
    </Stack>
  );
}
