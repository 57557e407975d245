import type { Step } from './runner';
import {
  SEED_CUSTOMER,
  SEED_ENTITLEMENT,
  BANDWIDTH_DETAILS,
  CHANNEL_PARTNER_DETAILS,
  KAM,
  CUSTOMER,
  ENTITLEMENT,
  BANDWIDTH_ROW,
  PARTNER_ROW,
  list,
  ids,
  JANUARY_WINDOW,
} from './seed-002';

/** Seed 002 use cases 1 and 2: customers, entitlements and their rows. */
export const CUSTOMERS_AND_ENTITLEMENTS: Step[] = [
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/customers/',
    as: 'acme',
    body: (ctx) => ({ ...SEED_CUSTOMER, kam_id: ctx.ids.kam }),
    status: 201,
    then: 'the customer answers with the fields sent and zero totals',
    shape: CUSTOMER,
    check: (data, ctx) =>
      expect(data).toMatchObject({
        ...SEED_CUSTOMER,
        kam_id: ctx.ids.kam,
        total_billed: '0.00',
        total_paid: '0.00',
        total_due: '0.00',
        active_entitlements_count: 0,
      }),
    save: (data, ctx) => {
      ctx.ids.customer = data.id;
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/kam/{kam}/',
    as: 'acme',
    status: 200,
    then: 'the KAM counts the customer assigned to it',
    shape: KAM,
    check: (data) => expect(data.assigned_customers_count).toBe(1),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/?customer_type=bw&status=active&kam_id={kam}&search=CUST1001&ordering=customer_name',
    as: 'acme',
    status: 200,
    then: "the seed's filters find the customer with its totals",
    shape: list(CUSTOMER),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.customer]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{customer}/',
    as: 'acme',
    status: 200,
    then: 'the customer is read',
    shape: CUSTOMER,
    check: (data) => expect(data).toMatchObject({ customer_number: 'CUST1001' }),
  },
  {
    seed: '002',
    method: 'PATCH',
    path: '/api/customers/customers/{customer}/',
    as: 'acme',
    body: { contact_person: 'Jane Doe' },
    status: 200,
    then: 'only the field sent changes',
    shape: CUSTOMER,
    check: (data) =>
      expect(data).toMatchObject({ contact_person: 'Jane Doe', email: 'info@techcorp.com' }),
  },
  {
    seed: '002',
    method: 'PUT',
    path: '/api/customers/customers/{customer}/',
    as: 'acme',
    body: (ctx) => ({ ...SEED_CUSTOMER, kam_id: ctx.ids.kam, phone: '+8801722222222' }),
    status: 200,
    then: 'the whole customer is replaced',
    shape: CUSTOMER,
    check: (data) =>
      expect(data).toMatchObject({ contact_person: 'John Doe', phone: '+8801722222222' }),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/entitlements/',
    as: 'acme',
    body: (ctx) => ({ customer_master_id: ctx.ids.customer, ...SEED_ENTITLEMENT }),
    status: 201,
    then: 'the entitlement answers with the fields sent',
    shape: ENTITLEMENT,
    check: (data, ctx) =>
      expect(data).toMatchObject({ customer_master_id: ctx.ids.customer, ...SEED_ENTITLEMENT }),
    save: (data, ctx) => {
      ctx.ids.entitlement = data.id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/entitlements/{entitlement}/details/',
    as: 'acme',
    body: (ctx) => ({
      entitlement_master_id: ctx.ids.entitlement,
      bandwidth_details: BANDWIDTH_DETAILS,
    }),
    status: 201,
    then: 'the three bandwidth rows are created at once',
    shape: { entitlement_master_id: 'string', count: 'int', results: [BANDWIDTH_ROW] },
    check: (data) =>
      expect(
        data.results.map((r: Record<string, unknown>) => [r.bandwidth_type, r.mbps, r.unit_price]),
      ).toEqual([
        ['ipt', 10, '20.00'],
        ['gcc', 10, '30.00'],
        ['cdn', 5, '15.00'],
      ]),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/entitlement-details/',
    as: 'acme',
    // an open-ended row: it bills January and every month since, the current one included
    body: (ctx) => ({
      cust_entitlement_id: ctx.ids.entitlement,
      bandwidth_type: 'nix',
      mbps: 4,
      unit_price: 25,
      start_date: '2025-01-01',
      is_active: true,
      status: 'active',
    }),
    status: 201,
    then: 'one more row is added to the entitlement',
    shape: BANDWIDTH_ROW,
    check: (data) =>
      expect(data).toMatchObject({ bandwidth_type: 'nix', unit_price: '25.00', end_date: null }),
    save: (data, ctx) => {
      ctx.ids.nixRow = data.id;
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/entitlements/{entitlement}/details/',
    as: 'acme',
    status: 200,
    then: "the entitlement's four rows are listed",
    shape: list(BANDWIDTH_ROW),
    check: (data) => expect(data.count).toBe(4),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/entitlements/?customer_master_id={customer}&activation_date=2025-01-01&search=BILL2024',
    as: 'acme',
    status: 200,
    then: "the seed's filters find the entitlement",
    shape: list(ENTITLEMENT),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.entitlement]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/entitlement-details/?cust_entitlement_id={entitlement}&type=bw&status=active&is_active=true',
    as: 'acme',
    status: 200,
    then: "the seed's filters find the four rows",
    shape: list(BANDWIDTH_ROW),
    check: (data) => expect(data.count).toBe(4),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/entitlement-details/bandwidth_types/?customer_id={customer}',
    as: 'acme',
    status: 200,
    then: 'the rows are grouped under the six bandwidth types',
    shape: {
      ipt: 'array',
      gcc: 'array',
      cdn: 'array',
      nix: 'array',
      baishan: 'array',
      other: 'array',
    },
    check: (data) =>
      expect(
        Object.fromEntries(Object.entries(data).map(([k, v]) => [k, (v as []).length])),
      ).toEqual({
        ipt: 1,
        gcc: 1,
        cdn: 1,
        nix: 1,
        baishan: 0,
        other: 0,
      }),
  },
  {
    seed: '002',
    method: 'GET',
    path: `/api/customers/entitlement-details/history/?customer_id={customer}&${JANUARY_WINDOW}`,
    as: 'acme',
    status: 200,
    then: 'the four rows in force in January are listed',
    shape: list(BANDWIDTH_ROW),
    check: (data) => expect(data.count).toBe(4),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/customers/{customer}/entitlements/',
    as: 'acme',
    status: 200,
    then: "the customer's entitlement is listed",
    shape: list(ENTITLEMENT),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.entitlement]),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/customers/',
    as: 'acme',
    body: { customer_name: 'Channel Partner Network', customer_type: 'channel_partner' },
    status: 201,
    then: 'the channel partner of use case 2 exists',
    save: (data, ctx) => {
      ctx.ids.partner = data.id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/entitlements/',
    as: 'acme',
    body: (ctx) => ({ customer_master_id: ctx.ids.partner }),
    status: 201,
    then: "the partner's entitlement exists",
    save: (data, ctx) => {
      ctx.ids.partnerEntitlement = data.id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/entitlements/{partnerEntitlement}/details/',
    as: 'acme',
    body: (ctx) => ({
      entitlement_master_id: ctx.ids.partnerEntitlement,
      channel_partner_details: CHANNEL_PARTNER_DETAILS,
    }),
    status: 201,
    then: 'both partner rows keep their shares and prices',
    shape: { entitlement_master_id: 'string', count: 'int', results: [PARTNER_ROW] },
    check: (data) =>
      expect(
        data.results.map((r: Record<string, unknown>) => [
          r.mbps,
          r.unit_price,
          r.custom_mac_percentage_share,
        ]),
      ).toEqual([
        [10, '20.00', '45.00'],
        [20, '50.00', '50.00'],
      ]),
  },
];
