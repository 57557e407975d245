import {
  Badge,
  Button,
  Card,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  getCreditBalance,
  getCreditTransactions,
  getCreditUsage,
  getInvoicePdf,
  getInvoices,
  getPaymentMethods,
  getPayments,
} from '../api/client';
import { PagedList } from '../components/PagedList';
import { DataTable, ErrorNote, Loading, day, money, useLoad } from '../components/ui';

function Stat({ label, value }: { label: string; value: number | string }) {
  return (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`stat-${label}`}>
        {value}
      </Text>
    </Card>
  );
}

/** Seed 000's billing page: the tenant's own account with the platform. */
export default function AccountBillingPage() {
  const balance = useLoad(getCreditBalance, []);
  const methods = useLoad(getPaymentMethods, []);
  const [txType, setTxType] = useState('');
  const [usageSearch, setUsageSearch] = useState('');
  const [pdfError, setPdfError] = useState<unknown>(null);
  const creditBalance = balance.data;

  async function download(id: string, number: string | null) {
    setPdfError(null);
    try {
      const url = URL.createObjectURL(await getInvoicePdf(id));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${number ?? id}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setPdfError(err);
    }
  }

  return (
    <Stack>
      <Title order={2}>Billing</Title>
      <ErrorNote error={balance.error} />
      <Loading when={balance.loading && !creditBalance} />
      {creditBalance && (
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Stat label="Credits" value={creditBalance.credits} />
          <Stat label="Plan credits per month" value={creditBalance.plan_credits_per_month} />
          <Stat label="Used this month" value={creditBalance.credits_used_this_month} />
          <Stat label="Remaining" value={creditBalance.credits_remaining} />
        </SimpleGrid>
      )}

      <Title order={3}>Credit transactions</Title>
      <PagedList
        load={getCreditTransactions}
        filters={{ transaction_type: txType }}
        caption="Credit transactions, newest first"
        controls={
          <NativeSelect
            label="Type"
            value={txType}
            onChange={(e) => setTxType(e.currentTarget.value)}
            data={[
              { value: '', label: 'All' },
              ...['grant', 'purchase', 'deduction', 'refund'].map((t) => ({ value: t, label: t })),
            ]}
          />
        }
        columns={[
          { label: 'Date', render: (t) => day(t.created_at) },
          { label: 'Type', render: (t) => t.transaction_type },
          { label: 'Amount', render: (t) => t.amount },
          { label: 'Balance after', render: (t) => t.balance_after },
          { label: 'Description', render: (t) => t.description },
        ]}
      />

      <Title order={3}>Usage logs</Title>
      <PagedList
        load={getCreditUsage}
        filters={{ search: usageSearch }}
        caption="Credits used per operation"
        controls={
          <TextInput
            label="Search operations"
            value={usageSearch}
            onChange={(e) => setUsageSearch(e.currentTarget.value)}
          />
        }
        columns={[
          { label: 'Date', render: (u) => day(u.created_at) },
          { label: 'Operation', render: (u) => u.operation_type },
          { label: 'Credits', render: (u) => u.credits_used },
          { label: 'Cost (USD)', render: (u) => u.cost_usd },
        ]}
      />

      <Title order={3}>Invoices from the platform</Title>
      <ErrorNote error={pdfError} />
      <PagedList
        load={getInvoices}
        filters={{}}
        caption="The platform's invoices to this account"
        columns={[
          { label: 'Number', render: (i) => i.invoice_number ?? 'draft' },
          { label: 'Status', render: (i) => <Badge variant="light">{i.status}</Badge> },
          { label: 'Total', render: (i) => money(i.total_amount, i.currency) },
          { label: 'Date', render: (i) => day(i.created_at) },
          {
            label: 'PDF',
            render: (i) => (
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={() => download(i.id, i.invoice_number)}
              >
                Download PDF
              </Button>
            ),
          },
        ]}
      />

      <Title order={3}>Payments</Title>
      <PagedList
        load={getPayments}
        filters={{}}
        caption="Payments made to the platform"
        columns={[
          { label: 'Date', render: (p) => day(p.created_at) },
          { label: 'Amount', render: (p) => money(p.amount, p.currency) },
          { label: 'Status', render: (p) => p.status },
          { label: 'Method', render: (p) => p.payment_method },
        ]}
      />

      <Title order={3}>Payment methods</Title>
      <ErrorNote error={methods.error} />
      <DataTable
        rows={methods.data?.results.map((m) => ({ ...m, id: m.payment_method }))}
        caption="Ways to pay the platform"
        columns={[
          { label: 'Method', render: (m) => m.display_name },
          { label: 'Enabled', render: (m) => (m.is_enabled ? 'yes' : 'no') },
        ]}
      />
    </Stack>
  );
}
