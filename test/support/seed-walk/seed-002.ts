import type { ObjectShape, Shape } from './shape';

/* Seed 002's bodies and the documented fields of its answers, shared by its chapters of the walk. */

/** Seed 002 as written: the customer, entitlement and row bodies of its examples. */
export const SEED_CUSTOMER = {
  customer_name: 'TechCorp Solutions Ltd',
  company_name: 'TechCorp Solutions',
  email: 'info@techcorp.com',
  phone: '+8801711111111',
  address: 'House 123, Road 45, Gulshan-2, Dhaka',
  customer_type: 'bw',
  customer_number: 'CUST1001',
  contact_person: 'John Doe',
  status: 'active',
  is_active: true,
};
export const SEED_ENTITLEMENT = {
  bill_number: 'BILL20241001',
  activation_date: '2025-01-01',
  nttn_company: 'NTTN Company',
  nttn_capacity: '100 Mbps',
  total_bill: '50000.00',
  type_of_bw: 'Fiber',
  type_of_connection: 'Dedicated',
  connected_pop: 'POP-Dhaka',
  remarks: 'Monthly billing',
};
export const january = { start_date: '2025-01-01', end_date: '2025-01-31', is_active: true };
export const BANDWIDTH_DETAILS = [
  { bandwidth_type: 'ipt', mbps: 10, unit_price: 20, ...january, status: 'active' },
  { bandwidth_type: 'gcc', mbps: 10, unit_price: 30, ...january, status: 'active' },
  { bandwidth_type: 'cdn', mbps: 5, unit_price: 15, ...january, status: 'active' },
];
export const CHANNEL_PARTNER_DETAILS = [
  { mbps: 10, unit_price: 20, custom_mac_percentage_share: 45, ...january, status: 'active' },
  { mbps: 20, unit_price: 50, custom_mac_percentage_share: 50, ...january, status: 'active' },
];

export const AUDIT: ObjectShape = {
  created_by: 'string|null',
  updated_by: 'string|null',
  created_at: 'datetime',
  updated_at: 'datetime',
};
export const KAM: ObjectShape = {
  id: 'string',
  kam_name: 'string',
  phone: 'string|null',
  email: 'string|null',
  address: 'string|null',
  is_active: 'boolean',
  assigned_customers_count: 'int',
  created_at: 'datetime',
  updated_at: 'datetime',
};
export const CUSTOMER: ObjectShape = {
  id: 'string',
  customer_name: 'string',
  company_name: 'string|null',
  email: 'string|null',
  phone: 'string|null',
  address: 'string|null',
  customer_type: 'string',
  kam_id: 'string|null',
  customer_number: 'string|null',
  contact_person: 'string|null',
  status: 'string',
  is_active: 'boolean',
  total_billed: 'money',
  total_paid: 'money',
  total_due: 'money',
  active_entitlements_count: 'int',
  last_bill_invoice_date: 'date|null',
  ...AUDIT,
};
export const ENTITLEMENT: ObjectShape = {
  id: 'string',
  customer_master_id: 'string',
  bill_number: 'string|null',
  activation_date: 'date|null',
  nttn_company: 'string|null',
  nttn_capacity: 'string|null',
  total_bill: 'money|null',
  type_of_bw: 'string|null',
  type_of_connection: 'string|null',
  connected_pop: 'string|null',
  remarks: 'string|null',
  ...AUDIT,
};
export const DETAIL_ROW: ObjectShape = {
  id: 'string',
  cust_entitlement_id: 'string',
  type: 'string',
  mbps: 'int',
  unit_price: 'money',
  start_date: 'date',
  end_date: 'date|null',
  is_active: 'boolean',
  status: 'string',
};
export const BANDWIDTH_ROW: ObjectShape = { ...DETAIL_ROW, bandwidth_type: 'string' };
export const PARTNER_ROW: ObjectShape = { ...DETAIL_ROW, custom_mac_percentage_share: 'string' };
export const PRICING: ObjectShape = {
  id: 'string',
  package_master_id: 'string',
  rate: 'money',
  description: 'string|null',
  is_active: 'boolean',
  val_start_at: 'date',
  val_end_at: 'date|null',
};
export const PACKAGE: ObjectShape = {
  id: 'string',
  package_name: 'string',
  package_type: 'string',
  is_active: 'boolean',
  active_pricing: 'object|null',
  pricings: 'array',
  pricings_count: 'int',
};
export const UTILITY_DETAIL: ObjectShape = {
  id: 'string',
  utility_master_id: 'string',
  type: 'string',
  name: 'string',
  number: 'string',
  is_active: 'boolean',
};
export const UTILITY_INFO: ObjectShape = {
  id: 'string',
  company_name: 'string',
  details: 'array',
  active_details: 'array',
  vat_rate: 'string',
};
export const INVOICE_LINE: ObjectShape = {
  id: 'string',
  invoice_master_id: 'string',
  entitlement_details_id: 'string|null',
  sub_total: 'money',
  vat_rate: 'string',
  sub_discount_rate: 'string',
  vat_amount: 'money',
  discount_amount: 'money',
  remarks: 'string|null',
};
export const INVOICE: ObjectShape = {
  id: 'string',
  invoice_number: 'string|null',
  customer_id: 'string|null',
  customer_entitlement_master_id: 'string|null',
  information_master_id: 'string|null',
  bill_number: 'string|null',
  issue_date: 'date|null',
  status: 'string',
  currency: 'string',
  sub_total: 'money',
  vat_amount: 'money',
  discount_amount: 'money',
  total_bill_amount: 'money',
  total_paid_amount: 'money',
  total_balance_due: 'money',
  details: 'array',
  ...AUDIT,
};
export const PAYMENT: ObjectShape = {
  id: 'string',
  payment_date: 'date',
  payment_method: 'string',
  customer_entitlement_master_id: 'string|null',
  invoice_master_id: 'string',
  remarks: 'string|null',
  status: 'string',
  amount: 'money',
  ...AUDIT,
};
export const PAYMENT_DETAIL: ObjectShape = {
  id: 'string',
  payment_master_id: 'string',
  pay_amount: 'money',
  transaction_id: 'string|null',
  remarks: 'string|null',
  status: 'string',
};
export const RECEIVED: ObjectShape = { total_received: 'money', payment_count: 'int' };
export const BILL_TOTALS: ObjectShape = {
  total_billed: 'money',
  total_paid: 'money',
  total_due: 'money',
};

export const list = (item: Shape): ObjectShape => ({
  results: [item],
  count: 'int',
  page: 'int',
  per_page: 'int',
});
export const ids = (data: { results: { id: string }[] }) => data.results.map((r) => r.id);
export const JANUARY_WINDOW = 'start_date=2025-01-01&end_date=2025-01-31';
