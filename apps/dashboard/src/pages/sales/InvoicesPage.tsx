import { Badge, Button, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { autoGenerateInvoice, listEntitlements, listSalesInvoices } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { PagedList } from '../../components/PagedList';
import { ErrorNote, day, money, useLoad } from '../../components/ui';
import { InvoiceActions } from './InvoiceActions';

/** Seed 002's invoices: filters, issue, void, record a payment (auto-generate is on a customer's entitlement). */
export default function InvoicesPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const { can } = useAuth();
  const entitlements = useLoad(
    async () => (can('bills:create') ? listEntitlements({ per_page: 100 }) : null),
    [],
  );

  async function generate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    try {
      await autoGenerateInvoice(String(new FormData(e.currentTarget).get('entitlement_id')));
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Stack>
      <Title order={2}>Invoices</Title>
      <ErrorNote error={error ?? entitlements.error} />
      {can('bills:create') && (
        <form onSubmit={generate}>
          <Group align="end" wrap="wrap">
            <NativeSelect
              name="entitlement_id"
              label="Entitlement to bill"
              required
              data={[
                { value: '', label: 'Choose an entitlement' },
                ...(entitlements.data?.results ?? []).map((en) => ({
                  value: en.id,
                  label: `${en.customer_name ?? en.customer_master_id} · ${en.bill_number ?? en.id}`,
                })),
              ]}
            />
            <Button type="submit">Auto-generate</Button>
          </Group>
        </form>
      )}
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
