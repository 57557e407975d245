import { Anchor, Badge, Button, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { listCustomers } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { PagedList } from '../../components/PagedList';
import { money } from '../../components/ui';

/** Seed 002's customers: search, type/status filters, ordering; totals projected from billing. */
export default function CustomersPage() {
  const { can } = useAuth();
  const [search, setSearch] = useState('');
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [ordering, setOrdering] = useState('-created_at');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Customers</Title>
        {can('customers:update') && (
          <Button component={Link} to="/sales/customers/new">
            New customer
          </Button>
        )}
      </Group>
      <PagedList
        load={listCustomers}
        filters={{ search, customer_type: type, status, ordering }}
        caption="Customers"
        controls={
          <>
            <TextInput
              label="Search"
              placeholder="name, e-mail, phone, number"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
            <NativeSelect
              label="Type"
              value={type}
              onChange={(e) => setType(e.currentTarget.value)}
              data={[
                { value: '', label: 'All' },
                { value: 'bw', label: 'Bandwidth' },
                { value: 'channel_partner', label: 'Channel partner' },
                { value: 'soho', label: 'SOHO' },
              ]}
            />
            <NativeSelect
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value)}
              data={[{ value: '', label: 'All' }, 'active', 'inactive', 'suspended']}
            />
            <NativeSelect
              label="Order by"
              value={ordering}
              onChange={(e) => setOrdering(e.currentTarget.value)}
              data={[
                { value: '-created_at', label: 'Newest' },
                { value: 'customer_name', label: 'Name' },
                { value: '-last_bill_invoice_date', label: 'Last billed' },
              ]}
            />
          </>
        }
        columns={[
          {
            label: 'Name',
            render: (c) => (
              <Anchor component={Link} to={`/sales/customers/${c.id}`}>
                {c.customer_name}
              </Anchor>
            ),
          },
          { label: 'Type', render: (c) => c.customer_type },
          { label: 'Status', render: (c) => <Badge variant="light">{c.status}</Badge> },
          { label: 'Billed', render: (c) => money(c.total_billed, c.currency) },
          { label: 'Paid', render: (c) => money(c.total_paid, c.currency) },
          { label: 'Due', render: (c) => money(c.total_due, c.currency) },
          { label: 'Entitlements', render: (c) => c.active_entitlements_count },
        ]}
      />
    </Stack>
  );
}
