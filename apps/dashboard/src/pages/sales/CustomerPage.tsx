import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  autoGenerateInvoice,
  getCustomer,
  getCustomerBillHistory,
  getCustomerEntitlements,
  getEntitlement,
  listSalesInvoices,
  listSalesPayments,
} from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { DataTable, ErrorNote, Loading, day, money, useLoad } from '../../components/ui';
import { EntitlementForm } from './EntitlementForm';
import { InvoiceActions } from './InvoiceActions';

/** One customer: totals, entitlements with their rows, invoices, payments, bill history. */
export default function CustomerPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const refresh = () => setVersion((v) => v + 1);
  const customer = useLoad(() => getCustomer(id), [id, version]);
  const entitlements = useLoad(async () => {
    const list = await getCustomerEntitlements(id);
    return Promise.all(list.results.map((e) => getEntitlement(e.id)));
  }, [id, version]);
  const invoices = useLoad(
    () => listSalesInvoices({ customer_id: id, per_page: 100 }),
    [id, version],
  );
  const payments = useLoad(
    () => listSalesPayments({ customer_id: id, per_page: 100 }),
    [id, version],
  );
  const history = useLoad(() => getCustomerBillHistory(id, { per_page: 100 }), [id, version]);
  const c = customer.data;

  async function generate(entitlementId: string) {
    setError(null);
    try {
      await autoGenerateInvoice(entitlementId);
      refresh();
    } catch (err) {
      setError(err);
    }
  }

  if (!c)
    return (
      <>
        <ErrorNote error={customer.error} />
        <Loading when={customer.loading} />
      </>
    );
  const totals = history.data?.totals;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{c.customer_name}</Title>
        <Group>
          <Button variant="default" onClick={refresh}>
            Refresh
          </Button>
          {can('customers:update') && (
            <Button component={Link} to={`/sales/customers/${id}/edit`} variant="light">
              Edit customer
            </Button>
          )}
        </Group>
      </Group>
      <Text c="dimmed">
        {c.company_name ?? 'no company'} · {c.customer_type} · {c.status} · {c.email ?? 'no e-mail'}{' '}
        · KAM {c.kam_name ?? 'none'}
      </Text>
      <ErrorNote error={error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {(['total_billed', 'total_paid', 'total_due'] as const).map((k) => (
          <Card withBorder key={k}>
            <Text c="dimmed">{k.replace('total_', 'Total ')}</Text>
            <Text fw={700} size="xl" data-testid={k}>
              {money(c[k], c.currency)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>

      <Group justify="space-between">
        <Title order={3}>Entitlements</Title>
        {can('customers:update') && !adding && (
          <Button onClick={() => setAdding(true)}>New entitlement</Button>
        )}
      </Group>
      {adding && (
        <EntitlementForm
          customerId={id}
          customerType={c.customer_type}
          onDone={() => {
            setAdding(false);
            refresh();
          }}
        />
      )}
      <ErrorNote error={entitlements.error} />
      {entitlements.data?.length === 0 && <Text c="dimmed">No entitlements yet.</Text>}
      {entitlements.data?.map((e) => (
        <Card withBorder key={e.id} data-testid="entitlement">
          <Group justify="space-between">
            <Text fw={700}>
              {e.bill_number ?? e.id} · from {day(e.activation_date)}
            </Text>
            {can('bills:create') && (
              <Button
                size="compact-sm"
                onClick={() => generate(e.id)}
                aria-label={`Auto-generate invoices of ${e.bill_number ?? e.id}`}
              >
                Auto-generate invoice
              </Button>
            )}
          </Group>
          <DataTable
            rows={e.details}
            caption={`Rows of entitlement ${e.bill_number ?? e.id}`}
            columns={[
              {
                label: 'Kind',
                render: (d) =>
                  d.type === 'bw'
                    ? `bandwidth ${d.bandwidth_type}`
                    : d.type === 'soho'
                      ? 'SOHO'
                      : 'channel partner',
              },
              { label: 'Mbps', render: (d) => d.mbps ?? '—' },
              { label: 'Unit price', render: (d) => money(d.unit_price, d.currency) },
              { label: 'Share %', render: (d) => d.custom_mac_percentage_share ?? '—' },
              { label: 'From', render: (d) => day(d.start_date) },
              { label: 'To', render: (d) => day(d.end_date) },
              { label: 'Status', render: (d) => d.status },
            ]}
          />
        </Card>
      ))}

      <Title order={3}>Invoices</Title>
      <ErrorNote error={invoices.error} />
      <DataTable
        rows={invoices.data?.results}
        caption="The customer's invoices"
        columns={[
          { label: 'Number', render: (i) => i.invoice_number ?? 'draft' },
          { label: 'Period', render: (i) => `${day(i.period_start)} – ${day(i.period_end)}` },
          {
            label: 'Status',
            render: (i) => (
              <Badge variant="light" data-testid="invoice-status">
                {i.status}
              </Badge>
            ),
          },
          { label: 'Total', render: (i) => money(i.total_bill_amount, i.currency) },
          { label: 'Due', render: (i) => money(i.total_balance_due, i.currency) },
          {
            label: 'Actions',
            render: (i) => <InvoiceActions invoice={i} onDone={refresh} onError={setError} />,
          },
        ]}
      />

      <Title order={3}>Payments</Title>
      <DataTable
        rows={payments.data?.results}
        caption="The customer's payments"
        columns={[
          { label: 'Date', render: (p) => day(p.payment_date) },
          { label: 'Amount', render: (p) => money(p.amount, p.currency) },
          { label: 'Method', render: (p) => p.payment_method },
          { label: 'Status', render: (p) => p.status },
        ]}
      />

      <Title order={3}>Bill history</Title>
      {totals && (
        <Alert variant="light" title="Totals">
          Billed {money(totals.total_billed, totals.currency)} · paid{' '}
          {money(totals.total_paid, totals.currency)} · due{' '}
          {money(totals.total_due, totals.currency)} ({totals.count} bills)
        </Alert>
      )}
      <DataTable
        rows={history.data?.results}
        caption="Issued bills"
        columns={[
          { label: 'Number', render: (i) => i.invoice_number ?? '—' },
          { label: 'Issued', render: (i) => day(i.issue_date) },
          { label: 'Total', render: (i) => money(i.total_bill_amount, i.currency) },
          { label: 'Paid', render: (i) => money(i.total_paid_amount, i.currency) },
        ]}
      />
      <Anchor component={Link} to="/sales/customers">
        All customers
      </Anchor>
    </Stack>
  );
}
