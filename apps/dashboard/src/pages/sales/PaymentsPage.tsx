import { NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { listSalesPayments } from '../../api/client';
import { PagedList } from '../../components/PagedList';
import { day, money } from '../../components/ui';

/** Seed 002's payments, filtered by status, method and date. */
export default function PaymentsPage() {
  const [status, setStatus] = useState('');
  const [method, setMethod] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  return (
    <Stack>
      <Title order={2}>Payments</Title>
      <PagedList
        load={listSalesPayments}
        filters={{ status, payment_method: method, start_date: start, end_date: end }}
        caption="Payments from customers"
        controls={
          <>
            <NativeSelect
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.currentTarget.value)}
              data={[{ value: '', label: 'All' }, 'pending', 'completed', 'failed', 'voided']}
            />
            <TextInput
              label="Method"
              value={method}
              onChange={(e) => setMethod(e.currentTarget.value)}
            />
            <TextInput
              type="date"
              label="Paid from"
              value={start}
              onChange={(e) => setStart(e.currentTarget.value)}
            />
            <TextInput
              type="date"
              label="Paid to"
              value={end}
              onChange={(e) => setEnd(e.currentTarget.value)}
            />
          </>
        }
        columns={[
          { label: 'Date', render: (p) => day(p.payment_date) },
          { label: 'Amount', render: (p) => money(p.amount, p.currency) },
          { label: 'Refunded', render: (p) => money(p.refunded_amount, p.currency) },
          { label: 'Method', render: (p) => p.payment_method },
          { label: 'Status', render: (p) => p.status },
          { label: 'Transaction', render: (p) => p.transaction_id ?? '—' },
        ]}
      />
    </Stack>
  );
}
