import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { issueInvoice, recordPayment, voidInvoice } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';

export interface InvoiceRow {
  id: string;
  invoice_number: string | null;
  status: string;
  currency: string;
  total_balance_due: string;
}

/**
 * Issue a draft, void, record a payment: each shown only to a role allowed to do it
 * (bills:update, payments:create). Errors go to `onError` (the page shows the envelope's message).
 */
export function InvoiceActions({
  invoice,
  onDone,
  onError,
}: {
  invoice: InvoiceRow;
  onDone: () => void;
  onError: (err: unknown) => void;
}) {
  const { can } = useAuth();
  const [paying, setPaying] = useState(false);
  const name = invoice.invoice_number ?? 'draft invoice';
  const act = (work: () => Promise<unknown>) => () => {
    onError(null);
    work().then(onDone, onError);
  };

  async function pay(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    onError(null);
    try {
      await recordPayment({
        invoice_master_id: invoice.id,
        amount: String(f.get('amount')),
        payment_method: String(f.get('payment_method')),
      });
      setPaying(false);
      onDone();
    } catch (err) {
      setPaying(false);
      onError(err);
    }
  }

  const open = invoice.status === 'unpaid' || invoice.status === 'partial';
  return (
    <Group gap={4} wrap="nowrap">
      {can('bills:update') && invoice.status === 'draft' && (
        <Button
          size="compact-sm"
          onClick={act(() => issueInvoice(invoice.id))}
          aria-label={`Issue ${name}`}
        >
          Issue
        </Button>
      )}
      {can('payments:create') && open && (
        <Button
          size="compact-sm"
          variant="light"
          onClick={() => setPaying(true)}
          aria-label={`Record a payment on ${name}`}
        >
          Record payment
        </Button>
      )}
      {can('bills:update') && (invoice.status === 'draft' || invoice.status === 'unpaid') && (
        <Button
          size="compact-sm"
          variant="subtle"
          color="red"
          onClick={act(() => voidInvoice(invoice.id))}
          aria-label={`Void ${name}`}
        >
          Void
        </Button>
      )}
      <Modal opened={paying} onClose={() => setPaying(false)} title={`Payment on ${name}`}>
        <form onSubmit={pay}>
          <Stack>
            <TextInput
              name="amount"
              label={`Amount (${invoice.currency})`}
              defaultValue={invoice.total_balance_due}
              required
            />
            <TextInput
              name="payment_method"
              label="Payment method"
              defaultValue="Bank Transfer"
              required
            />
            <Button type="submit">Record payment</Button>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}
