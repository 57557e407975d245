import { Button, NativeSelect, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  createCustomer,
  getCustomer,
  listKams,
  updateCustomer,
  type CustomerInput,
} from '../../api/client';
import { ErrorNote, Loading, useLoad } from '../../components/ui';

const TEXT_FIELDS = [
  ['customer_name', 'Customer name'],
  ['company_name', 'Company'],
  ['email', 'E-mail'],
  ['phone', 'Phone (E.164, e.g. +8801711111111)'],
  ['address', 'Address'],
  ['customer_number', 'Customer number'],
  ['contact_person', 'Contact person'],
  ['currency', 'Currency (ISO 4217)'],
] as const;

/** Create or edit a customer (seed 002's body); the API decides, the page shows its message. */
export default function CustomerFormPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const existing = useLoad(async () => (id ? getCustomer(id) : null), [id]);
  const kams = useLoad(() => listKams({ per_page: 100 }), []);
  const [error, setError] = useState<unknown>(null);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, string> = {};
    for (const [k, v] of f.entries()) if (String(v).trim() !== '') body[k] = String(v).trim();
    setError(null);
    try {
      const saved = id
        ? await updateCustomer(id, body as Partial<CustomerInput>)
        : await createCustomer(body as unknown as CustomerInput);
      navigate(`/sales/customers/${saved.id}`);
    } catch (err) {
      setError(err);
    }
  }

  const c = existing.data;
  if (id && !c)
    return (
      <>
        <ErrorNote error={existing.error} />
        <Loading when={existing.loading} />
      </>
    );
  return (
    <Stack maw={720}>
      <Title order={2}>{id ? `Edit ${c?.customer_name}` : 'New customer'}</Title>
      <ErrorNote error={error} />
      <form onSubmit={save}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {TEXT_FIELDS.map(([key, label]) => (
              <TextInput
                key={key}
                name={key}
                label={label}
                required={key === 'customer_name'}
                defaultValue={c?.[key] ?? ''}
              />
            ))}
            <NativeSelect
              name="customer_type"
              label="Customer type"
              defaultValue={c?.customer_type ?? 'bw'}
              data={[
                { value: 'bw', label: 'Bandwidth' },
                { value: 'channel_partner', label: 'Channel partner' },
                { value: 'soho', label: 'SOHO' },
              ]}
            />
            <NativeSelect
              name="status"
              label="Status"
              defaultValue={c?.status ?? 'active'}
              data={['active', 'inactive', 'suspended']}
            />
            <NativeSelect
              name="kam_id"
              label="KAM"
              defaultValue={c?.kam_id ?? ''}
              data={[
                { value: '', label: 'None' },
                ...(kams.data?.results ?? []).map((k) => ({ value: k.id, label: k.kam_name })),
              ]}
            />
          </SimpleGrid>
          <Button type="submit" w="fit-content">
            {id ? 'Save customer' : 'Create customer'}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
