import { AppError, type ErrorDetail } from '@ledgerline/contracts';
import {
  buildBulkRows,
  buildDetailRow,
  type PackageFacts,
  type RowContext,
} from './entitlement-rows';

const bdt: RowContext = { currency: 'BDT', packages: new Map() };

function bulkErrors(fn: () => unknown): ErrorDetail[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(422);
    return (err as AppError).details ?? [];
  }
  throw new Error('expected a validation error');
}

const seedBandwidth = {
  entitlement_master_id: '1',
  bandwidth_details: [
    {
      bandwidth_type: 'ipt' as const,
      mbps: 10,
      unit_price: 20,
      start_date: '2025-01-01',
      end_date: '2025-01-31',
      is_active: true,
      status: 'active' as const,
    },
    {
      bandwidth_type: 'gcc' as const,
      mbps: 10,
      unit_price: 30,
      start_date: '2025-01-01',
      end_date: '2025-01-31',
      is_active: true,
      status: 'active' as const,
    },
    {
      bandwidth_type: 'cdn' as const,
      mbps: 5,
      unit_price: 15,
      start_date: '2025-01-01',
      end_date: '2025-01-31',
      is_active: true,
      status: 'active' as const,
    },
  ],
};

describe('bulk entitlement details', () => {
  test("when seed 002's bandwidth rows are sent for a bw customer, then each row is stored in minor units", () => {
    const rows = buildBulkRows(seedBandwidth, 'bw', bdt);
    expect(rows).toEqual([
      {
        type: 'bw',
        bandwidth_type: 'ipt',
        mbps: 10,
        unit_price_minor: 2000,
        custom_mac_share: null,
        package_master_id: null,
        package_pricing_id: null,
        start_date: '2025-01-01',
        end_date: '2025-01-31',
        is_active: true,
        status: 'active',
        remarks: null,
      },
      expect.objectContaining({ bandwidth_type: 'gcc', mbps: 10, unit_price_minor: 3000 }),
      expect.objectContaining({ bandwidth_type: 'cdn', mbps: 5, unit_price_minor: 1500 }),
    ]);
  });

  test("when seed 002's channel partner rows are sent, then shares are kept in hundredths of a percent", () => {
    const rows = buildBulkRows(
      {
        entitlement_master_id: '2',
        channel_partner_details: [
          {
            mbps: 10,
            unit_price: 20,
            custom_mac_percentage_share: 45,
            start_date: '2025-01-01',
            end_date: '2025-01-31',
            is_active: true,
            status: 'active',
          },
          {
            mbps: 20,
            unit_price: '50.25',
            custom_mac_percentage_share: '50.5',
            start_date: '2025-01-01',
          },
        ],
      },
      'channel_partner',
      bdt,
    );
    expect(
      rows.map((r) => [r.type, r.mbps, r.unit_price_minor, r.custom_mac_share, r.end_date]),
    ).toEqual([
      ['channel_partner', 10, 2000, 4500, '2025-01-31'],
      ['channel_partner', 20, 5025, 5050, null],
    ]);
  });

  test('when one row of many is bad, then the whole request is refused naming every bad field', () => {
    const bad = structuredClone(seedBandwidth);
    bad.bandwidth_details[2]!.unit_price = 0;
    bad.bandwidth_details[1]!.end_date = '2024-12-31';
    expect(bulkErrors(() => buildBulkRows(bad, 'bw', bdt))).toEqual([
      { field: 'bandwidth_details.1.end_date', message: 'must be on or after start_date' },
      { field: 'bandwidth_details.2.unit_price', message: 'must be positive' },
    ]);
  });

  test('when a price has more decimals than the currency, then the row is refused, never rounded', () => {
    const bad = structuredClone(seedBandwidth);
    (bad.bandwidth_details[0] as { unit_price: unknown }).unit_price = '20.005';
    expect(bulkErrors(() => buildBulkRows(bad, 'bw', bdt))).toEqual([
      { field: 'bandwidth_details.0.unit_price', message: 'BDT allows at most 2 decimal places' },
    ]);
    const yen = buildBulkRows(seedBandwidth, 'bw', { ...bdt, currency: 'JPY' });
    expect(yen.map((r) => r.unit_price_minor)).toEqual([20, 30, 15]);
  });

  test('when a share is over 100 or has 3 decimals, then that row is refused', () => {
    const errors = bulkErrors(() =>
      buildBulkRows(
        {
          channel_partner_details: [
            {
              mbps: 1,
              unit_price: 1,
              custom_mac_percentage_share: 100.5,
              start_date: '2025-01-01',
            },
            {
              mbps: 1,
              unit_price: 1,
              custom_mac_percentage_share: '1.234',
              start_date: '2025-01-01',
            },
            { mbps: 1, unit_price: 1, custom_mac_percentage_share: 100, start_date: '2025-01-01' },
          ],
        },
        'channel_partner',
        bdt,
      ),
    );
    expect(errors).toEqual([
      {
        field: 'channel_partner_details.0.custom_mac_percentage_share',
        message: 'must not exceed 100',
      },
      {
        field: 'channel_partner_details.1.custom_mac_percentage_share',
        message: 'must be a percentage between 0 and 100 with at most 2 decimals',
      },
    ]);
  });

  test("when the list does not match the customer's type, then it is refused and names the right list", () => {
    expect(
      bulkErrors(() =>
        buildBulkRows(
          {
            channel_partner_details: [
              { mbps: 1, unit_price: 1, custom_mac_percentage_share: 1, start_date: '2025-01-01' },
            ],
          },
          'bw',
          bdt,
        ),
      ),
    ).toEqual([
      {
        field: 'channel_partner_details',
        message: 'this is a bw customer: send its rows as bandwidth_details',
      },
    ]);
  });

  test('when no rows are sent, then the expected list is named', () => {
    expect(bulkErrors(() => buildBulkRows({ bandwidth_details: [] }, 'bw', bdt))).toEqual([
      { field: 'bandwidth_details', message: 'must contain at least one row' },
    ]);
  });
});

describe('soho rows priced by packages', () => {
  const home: PackageFacts = {
    id: 'pkg_home',
    package_type: 'soho',
    currency: 'BDT',
    mbps: 20,
    pricings: [
      {
        id: 'ppr_2024',
        is_active: true,
        val_start_at: '2024-01-01',
        val_end_at: '2024-12-31',
        rate_minor: 200000,
      },
      {
        id: 'ppr_2025',
        is_active: true,
        val_start_at: '2025-01-01',
        val_end_at: null,
        rate_minor: 250000,
      },
    ],
  };
  const ctx: RowContext = {
    currency: 'BDT',
    packages: new Map([
      ['pkg_home', home],
      ['pkg_bw', { ...home, id: 'pkg_bw', package_type: 'bw' }],
      ['pkg_usd', { ...home, id: 'pkg_usd', currency: 'USD' }],
    ]),
  };

  test('when no pricing is named, then the one valid on the start date prices the row', () => {
    const [row] = buildBulkRows(
      { soho_details: [{ package_master_id: 'pkg_home', start_date: '2025-02-01' }] },
      'soho',
      ctx,
    );
    expect(row).toMatchObject({
      type: 'soho',
      package_master_id: 'pkg_home',
      package_pricing_id: 'ppr_2025',
      unit_price_minor: 250000,
      mbps: 20,
    });
  });

  test('when a pricing and a price are named, then they are kept', () => {
    const [row] = buildBulkRows(
      {
        soho_details: [
          {
            package_master_id: 'pkg_home',
            package_pricing_id: 'ppr_2024',
            unit_price: '1999.50',
            start_date: '2025-02-01',
          },
        ],
      },
      'soho',
      ctx,
    );
    expect(row).toMatchObject({ package_pricing_id: 'ppr_2024', unit_price_minor: 199950 });
  });

  test('when the package is missing, of another type, in another currency or unpriced, then the row is refused', () => {
    const errors = bulkErrors(() =>
      buildBulkRows(
        {
          soho_details: [
            { package_master_id: 'pkg_nope', start_date: '2025-01-01' },
            { package_master_id: 'pkg_bw', start_date: '2025-01-01' },
            { package_master_id: 'pkg_usd', start_date: '2025-01-01' },
            { package_master_id: 'pkg_home', start_date: '2023-01-01' },
            {
              package_master_id: 'pkg_home',
              package_pricing_id: 'ppr_other',
              start_date: '2025-01-01',
            },
          ],
        },
        'soho',
        ctx,
      ),
    );
    expect(errors).toEqual([
      { field: 'soho_details.0.package_master_id', message: 'no such package' },
      {
        field: 'soho_details.1.package_master_id',
        message: 'is a bw package; soho entitlements need a soho package',
      },
      {
        field: 'soho_details.2.package_master_id',
        message: 'is priced in USD but the customer is billed in BDT',
      },
      {
        field: 'soho_details.3.package_pricing_id',
        message: 'the package has no active pricing valid on 2023-01-01',
      },
      { field: 'soho_details.4.package_pricing_id', message: 'is not a pricing of this package' },
    ]);
  });
});

describe('one row created or changed', () => {
  const base = buildBulkRows(seedBandwidth, 'bw', bdt)[0]!;

  test('when a row is patched, then untouched fields are kept and the result is validated again', () => {
    const result = buildDetailRow('bw', { mbps: 25, unit_price: '21.50' }, base, bdt);
    expect(result.row).toEqual({ ...base, mbps: 25, unit_price_minor: 2150 });
    expect(buildDetailRow('bw', { start_date: '2025-02-01' }, base, bdt).errors).toEqual([
      { field: 'end_date', message: 'must be on or after start_date' },
    ]);
  });

  test('when a field of another kind or another type is sent, then it is refused, not ignored', () => {
    expect(
      buildDetailRow('bw', { type: 'soho', custom_mac_percentage_share: 10 }, base, bdt).errors,
    ).toEqual([
      { field: 'type', message: "must be bw: it is the customer's type" },
      { field: 'custom_mac_percentage_share', message: 'is not used by bw entitlements' },
    ]);
  });

  test('when a new row misses what its kind needs, then each missing field is named', () => {
    expect(buildDetailRow('channel_partner', {}, null, bdt).errors).toEqual([
      { field: 'start_date', message: 'is required' },
      { field: 'mbps', message: 'is required' },
      { field: 'unit_price', message: 'is required' },
      { field: 'custom_mac_percentage_share', message: 'is required' },
    ]);
  });
});
