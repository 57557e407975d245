import { billableDetail as bw } from '../../../test-support/billable-detail';
import { buildAutoLines, type PricingFact } from './invoice-lines';

const JAN = { start: '2025-01-01', end: '2025-01-31' };

const pricing = (over: Partial<PricingFact> = {}): PricingFact => ({
  pricing_id: 'p1',
  package_id: 'pkg1',
  rate_minor: 250_000,
  currency: 'USD',
  is_active: true,
  val_start_at: '2025-01-01',
  val_end_at: '2025-12-31',
  ...over,
});

const amounts = (r: ReturnType<typeof buildAutoLines>) =>
  r.lines.map((l) => [l.entitlement_details_id, l.sub_total_minor, l.vat_rate, l.days]);

describe('auto-generated invoice lines', () => {
  it('when the seed bandwidth rows are billed for January, then each line is mbps x unit price', () => {
    const details = [
      bw({ detail_id: 'ipt' }),
      bw({ detail_id: 'gcc', bandwidth_type: 'gcc', unit_price_minor: 3000 }),
      bw({ detail_id: 'cdn', bandwidth_type: 'cdn', mbps: 5, unit_price_minor: 1500 }),
    ];
    const result = buildAutoLines({ details, pricings: [], vatRate: 1500, period: JAN });
    expect(amounts(result)).toEqual([
      ['cdn', 7500, 1500, 31],
      ['gcc', 30_000, 1500, 31],
      ['ipt', 20_000, 1500, 31],
    ]);
    expect(result.lines[2]!.remarks).toBe('ipt 10 Mbps x 20.00 USD/month; 2025-01-01..2025-01-31');
  });

  it('when a row starts or ends inside the period, then it is prorated by days', () => {
    const details = [
      bw({ detail_id: 'late', start_date: '2025-01-22', end_date: null }), // 10/31
      bw({ detail_id: 'early', start_date: '2024-06-01', end_date: '2025-01-10' }), // 10/31
      bw({ detail_id: 'feb', start_date: '2025-02-19', end_date: null }), // 10/28 of February
    ];
    const jan = buildAutoLines({ details, pricings: [], vatRate: 0, period: JAN });
    expect(amounts(jan)).toEqual([
      ['early', 6452, 0, 10], // 20000 x 10/31 = 6451.61
      ['late', 6452, 0, 10],
    ]);
    const feb = buildAutoLines({
      details,
      pricings: [],
      vatRate: 0,
      period: { start: '2025-02-01', end: '2025-02-28' },
    });
    expect(amounts(feb)).toEqual([
      ['late', 20_000, 0, 28],
      ['feb', 7143, 0, 10], // 20000 x 10/28 = 7142.857
    ]);
  });

  it('when a channel partner row is billed, then the partner share is deducted after proration', () => {
    const details = [
      bw({
        detail_id: 'cp1',
        type: 'channel_partner',
        bandwidth_type: null,
        custom_mac_percentage_share: 4500,
      }),
      bw({
        detail_id: 'cp2',
        type: 'channel_partner',
        bandwidth_type: null,
        mbps: 20,
        unit_price_minor: 5000,
        custom_mac_percentage_share: 5000,
        start_date: '2025-01-17',
      }),
    ];
    const result = buildAutoLines({ details, pricings: [], vatRate: 1500, period: JAN });
    // 200.00 - 45% = 110.00; 1000.00 x 15/31 = 483.87, - 50% = 241.935 -> 241.94 share, 241.93 billed
    expect(amounts(result)).toEqual([
      ['cp1', 11_000, 1500, 31],
      ['cp2', 24_193, 1500, 15],
    ]);
    expect(result.lines[1]!.remarks).toContain('partner share 50.00% (241.94) deducted');
  });

  it('when a soho row is billed, then the package pricing valid on its first billed day sets the price', () => {
    const soho = bw({
      detail_id: 's1',
      type: 'soho',
      bandwidth_type: null,
      mbps: null,
      unit_price_minor: 199_900,
      package_master_id: 'pkg1',
      start_date: '2024-11-15',
      end_date: null,
    });
    const pricings = [
      pricing({
        pricing_id: 'old',
        rate_minor: 199_900,
        val_start_at: '2024-01-01',
        val_end_at: '2024-12-31',
      }),
      pricing(),
      pricing({ pricing_id: 'other-package', package_id: 'pkg2', rate_minor: 1 }),
      pricing({
        pricing_id: 'inactive',
        is_active: false,
        rate_minor: 2,
        val_start_at: '2025-01-05',
      }),
    ];
    expect(
      amounts(buildAutoLines({ details: [soho], pricings, vatRate: 500, period: JAN })),
    ).toEqual([['s1', 250_000, 500, 31]]);
    // no pricing known for the package: the row's own price
    expect(
      amounts(buildAutoLines({ details: [soho], pricings: [], vatRate: 0, period: JAN })),
    ).toEqual([['s1', 199_900, 0, 31]]);
  });

  it('when rows are inactive, suspended, outside the period or unpriced, then they make no line', () => {
    const details = [
      bw({ detail_id: 'inactive', is_active: false }),
      bw({ detail_id: 'suspended', status: 'suspended' }),
      bw({ detail_id: 'before', start_date: '2024-01-01', end_date: '2024-12-31' }),
      bw({ detail_id: 'after', start_date: '2025-02-01', end_date: null }),
      bw({ detail_id: 'unpriced', unit_price_minor: null }),
    ];
    expect(buildAutoLines({ details, pricings: [], vatRate: 0, period: JAN })).toEqual({
      lines: [],
      unpriced: ['unpriced'],
    });
  });

  it('when the currency has 0 or 3 decimals, then lines are exact in its minor units (JPY, BHD)', () => {
    const jpy = bw({
      detail_id: 'jpy',
      currency: 'JPY',
      mbps: 3,
      unit_price_minor: 1001,
      start_date: '2025-04-16',
      end_date: null,
    });
    const april = { start: '2025-04-01', end: '2025-04-30' };
    // 3003 yen x 15/30 = 1501.5 -> 1502 yen
    expect(
      amounts(buildAutoLines({ details: [jpy], pricings: [], vatRate: 0, period: april })),
    ).toEqual([['jpy', 1502, 0, 15]]);
    const bhd = bw({
      detail_id: 'bhd',
      currency: 'BHD',
      mbps: 7,
      unit_price_minor: 1_234,
      start_date: '2024-02-20',
    });
    const feb2024 = { start: '2024-02-01', end: '2024-02-29' };
    // 8.638 BHD x 10/29 = 2.97862 -> 2.979
    const result = buildAutoLines({ details: [bhd], pricings: [], vatRate: 1000, period: feb2024 });
    expect(amounts(result)).toEqual([['bhd', 2979, 1000, 10]]);
    expect(result.lines[0]!.remarks).toBe(
      'ipt 7 Mbps x 1.234 BHD/month; 2024-02-20..2024-02-29 (10 days, prorated)',
    );
  });
});
