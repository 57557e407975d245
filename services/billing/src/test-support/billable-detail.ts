import type { BillableDetail } from '../modules/invoicing/domain/invoice-lines';

/** A seed-like bandwidth row: 10 Mbps of IPT at 20.00 USD a month, billed for January 2025. */
export const billableDetail = (over: Partial<BillableDetail> = {}): BillableDetail => ({
  detail_id: 'd1',
  type: 'bw',
  bandwidth_type: 'ipt',
  mbps: 10,
  unit_price_minor: 2000,
  currency: 'USD',
  custom_mac_percentage_share: null,
  package_master_id: null,
  start_date: '2025-01-01',
  end_date: '2025-01-31',
  is_active: true,
  status: 'active',
  ...over,
});
