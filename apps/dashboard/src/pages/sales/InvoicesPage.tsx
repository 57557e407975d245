import { Badge, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { listSalesInvoices } from '../../api/client';
import { PagedList } from '../../components/PagedList';
import { ErrorNote, day, money } from '../../components/ui';
import { InvoiceActions } from './InvoiceActions';

/** Seed 002's invoices: filters, issue, void, record a payment (auto-generate is on a customer's entitlement). */
export default function InvoicesPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  return (
    <Stack>
      <Title order={2}>Invoices</Title>
      <ErrorNote error={error} />
      <PagedList
        load={listSalesInvoices}
        version={version}
        filters={{ search, status, start_date: start, end_date: end }}
        caption="Invoices to customers"
        controls={
          <Group align="end" wrap="wrap">
            <TextInput
              label="Search"
              placeholder="invoice or bill number"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
            <NativeSelect
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value)}
              data={[{ value: '', label: 'All' }, 'draft', 'unpaid', 'partial', 'paid', 'void']}
            />
            <TextInput
              type="date"
              label="Issued from"
              value={start}
              onChange={(e) => setStart(e.currentTarget.value)}
            />
            <TextInput
              type="date"
              label="Issued to"
              value={end}
              onChange={(e) => setEnd(e.currentTarget.value)}
            />
          </Group>
        }
        columns={[
          { label: 'Number', render: (i) => i.invoice_number ?? 'draft' },
          { label: 'Bill', render: (i) => i.bill_number ?? '—' },
          { label: 'Issued', render: (i) => day(i.issue_date) },
          { label: 'Status', render: (i) => <Badge variant="light">{i.status}</Badge> },
          { label: 'Total', render: (i) => money(i.total_bill_amount, i.currency) },
          { label: 'Due', render: (i) => money(i.total_balance_due, i.currency) },
          {
            label: 'Actions',
            render: (i) => (
              <InvoiceActions
                invoice={i}
                onDone={() => setVersion((v) => v + 1)}
                onError={setError}
              />
            ),
          },
        ]}
      />
    </Stack>
  );
}
