import type { LedgerlineClient } from '@ledgerline/api-client';
import type { Db } from 'mongodb';
import type { TestSession } from './accounts';
import { expectAnswer as ok } from './api-client';
import { eventually } from './infra';

const row = (
  bandwidth_type: 'ipt' | 'gcc' | 'cdn' | 'nix',
  mbps: number,
  unit_price: number,
  end_date: string | null,
) => ({
  bandwidth_type,
  mbps,
  unit_price,
  start_date: '2025-01-01',
  end_date,
  is_active: true,
  status: 'active' as const,
});

/** Seed 002's use case 1: customer, entitlement BILL20241001, three bandwidth rows for January. */
export async function seedBandwidthCustomer(c: LedgerlineClient, billing: Db, owner: TestSession) {
  const info = await ok(
    c.POST('/api/utility/utility-info', {
      body: { company_name: 'Ledgerline ISP', vat_rate: 15 },
    }),
    201,
  );
  const customer = await ok(
    c.POST('/api/customers/customers', {
      body: { customer_name: 'TechCorp', customer_type: 'bw' },
    }),
    201,
  );
  const january = await ok(
    c.POST('/api/customers/entitlements', {
      body: {
        customer_master_id: customer.id,
        bill_number: 'BILL20241001',
        activation_date: '2025-01-01',
      },
    }),
    201,
  );
  await ok(
    c.POST('/api/customers/entitlements/{id}/details', {
      params: { path: { id: january.id } },
      body: {
        entitlement_master_id: january.id,
        bandwidth_details: [
          row('ipt', 10, 20, '2025-01-31'),
          row('gcc', 10, 30, '2025-01-31'),
          row('cdn', 5, 15, '2025-01-31'),
        ],
      },
    }),
    201,
  );
  // an open-ended entitlement: it bills every month, the current one included
  const ongoing = await ok(
    c.POST('/api/customers/entitlements', {
      body: { customer_master_id: customer.id, bill_number: 'BILL-ONGOING-7' },
    }),
    201,
  );
  await ok(
    c.POST('/api/customers/entitlements/{id}/details', {
      params: { path: { id: ongoing.id } },
      body: { entitlement_master_id: ongoing.id, bandwidth_details: [row('nix', 4, 25, null)] },
    }),
    201,
  );
  // billing learns details and VAT from the customers service's events
  await eventually(
    async () =>
      (await billing
        .collection('entitlement_details')
        .countDocuments({ tenant_id: owner.tenantId })) +
      (await billing.collection('utility_infos').countDocuments({ tenant_id: owner.tenantId })),
    (n) => n === 5,
    60_000,
    250,
  );
  return { info, customer, january, ongoing };
}
