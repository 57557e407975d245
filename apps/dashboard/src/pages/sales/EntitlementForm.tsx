import { Button, Group, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import {
  addEntitlementDetails,
  createEntitlement,
  listPackages,
  type DetailRowsInput,
} from '../../api/client';
import { ErrorNote, useLoad } from '../../components/ui';

const BANDWIDTH_TYPES = ['ipt', 'gcc', 'cdn', 'nix', 'baishan', 'other'];
type CustomerType = 'bw' | 'channel_partner' | 'soho';

interface Row {
  key: number;
  bandwidth_type: string;
  mbps: string;
  unit_price: string;
  share: string;
  package_master_id: string;
}

const today = () => new Date().toISOString().slice(0, 10);
const firstOfMonth = () => `${today().slice(0, 8)}01`;

/**
 * A new entitlement and its priced rows in one step (seed 002's entitlement, then its bulk
 * details): bandwidth rows for a bandwidth customer, channel-partner rows with the revenue share,
 * or SOHO rows on a package.
 */
export function EntitlementForm({
  customerId,
  customerType,
  onDone,
}: {
  customerId: string;
  customerType: CustomerType;
  onDone: () => void;
}) {
  const [rows, setRows] = useState<Row[]>([
    { key: 0, bandwidth_type: 'ipt', mbps: '', unit_price: '', share: '', package_master_id: '' },
  ]);
  const [error, setError] = useState<unknown>(null);
  const packages = useLoad(
    async () =>
      customerType === 'soho' ? listPackages({ package_type: 'soho', per_page: 100 }) : null,
    [customerType],
  );
  const set = (key: number, field: keyof Row, value: string) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, [field]: value } : r)));

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const start = String(f.get('start_date'));
    const end = String(f.get('end_date') ?? '') || null;
    const common = { start_date: start, end_date: end, is_active: true, status: 'active' as const };
    const body: DetailRowsInput =
      customerType === 'bw'
        ? {
            bandwidth_details: rows.map((r) => ({
              ...common,
              bandwidth_type: r.bandwidth_type as 'ipt',
              mbps: Number(r.mbps),
              unit_price: r.unit_price,
            })),
          }
        : customerType === 'channel_partner'
          ? {
              channel_partner_details: rows.map((r) => ({
                ...common,
                mbps: Number(r.mbps),
                unit_price: r.unit_price,
                custom_mac_percentage_share: r.share,
              })),
            }
          : {
              soho_details: rows.map((r) => ({
                ...common,
                package_master_id: r.package_master_id,
                ...(r.mbps ? { mbps: Number(r.mbps) } : {}),
              })),
            };
    setError(null);
    try {
      const entitlement = await createEntitlement({
        customer_master_id: customerId,
        bill_number: String(f.get('bill_number')) || undefined,
        activation_date: start,
      } as never);
      await addEntitlementDetails(entitlement.id, {
        entitlement_master_id: entitlement.id,
        ...body,
      });
      onDone();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Paper withBorder p="md">
      <form onSubmit={save} aria-label="New entitlement">
        <Stack gap="sm">
          <Title order={4}>New entitlement</Title>
          <ErrorNote error={error} />
          <Group align="end" wrap="wrap">
            <TextInput name="bill_number" label="Bill number" />
            <TextInput
              name="start_date"
              type="date"
              label="Start date"
              required
              defaultValue={firstOfMonth()}
            />
            <TextInput name="end_date" type="date" label="End date (empty: open-ended)" />
          </Group>
          <Text size="sm" fw={700}>
            {customerType === 'bw'
              ? 'Bandwidth rows'
              : customerType === 'channel_partner'
                ? 'Channel-partner rows'
                : 'SOHO rows'}
          </Text>
          {rows.map((r, i) => (
            <Group key={r.key} align="end" wrap="wrap" data-testid="detail-row">
              {customerType === 'bw' && (
                <NativeSelect
                  label={`Row ${i + 1} bandwidth type`}
                  value={r.bandwidth_type}
                  onChange={(e) => set(r.key, 'bandwidth_type', e.currentTarget.value)}
                  data={BANDWIDTH_TYPES}
                />
              )}
              {customerType === 'soho' ? (
                <NativeSelect
                  label={`Row ${i + 1} package`}
                  required
                  value={r.package_master_id}
                  onChange={(e) => set(r.key, 'package_master_id', e.currentTarget.value)}
                  data={[
                    { value: '', label: 'Choose a package' },
                    ...(packages.data?.results ?? []).map((p) => ({
                      value: p.id,
                      label: p.package_name,
                    })),
                  ]}
                />
              ) : (
                <>
                  <TextInput
                    label={`Row ${i + 1} Mbps`}
                    required
                    inputMode="numeric"
                    value={r.mbps}
                    onChange={(e) => set(r.key, 'mbps', e.currentTarget.value)}
                    w={110}
                  />
                  <TextInput
                    label={`Row ${i + 1} unit price`}
                    required
                    inputMode="decimal"
                    value={r.unit_price}
                    onChange={(e) => set(r.key, 'unit_price', e.currentTarget.value)}
                    w={130}
                  />
                </>
              )}
              {customerType === 'channel_partner' && (
                <TextInput
                  label={`Row ${i + 1} share %`}
                  required
                  inputMode="decimal"
                  value={r.share}
                  onChange={(e) => set(r.key, 'share', e.currentTarget.value)}
                  w={110}
                />
              )}
              {rows.length > 1 && (
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                  aria-label={`Remove row ${i + 1}`}
                >
                  Remove
                </Button>
              )}
            </Group>
          ))}
          <Group>
            <Button
              variant="default"
              onClick={() =>
                setRows((rs) => [
                  ...rs,
                  {
                    key: Date.now(),
                    bandwidth_type: 'gcc',
                    mbps: '',
                    unit_price: '',
                    share: '',
                    package_master_id: '',
                  },
                ])
              }
            >
              Add row
            </Button>
            <Button type="submit">Create entitlement</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
