import type { Step } from './runner';
import { KAM, PRICING, PACKAGE, UTILITY_DETAIL, UTILITY_INFO, list, ids } from './seed-002';

/** Seed 002, as Acme's owner: what the company sets up before it bills anyone. */
export const ISP_SET_UP: Step[] = [
  {
    seed: '002',
    method: 'POST',
    path: '/api/utility/utility-info/',
    as: 'acme',
    extra: 'the seed reads utility information; the tenant writes it first',
    body: {
      company_name: 'Acme ISP Ltd',
      address: 'Gulshan-2, Dhaka',
      phone: '+8801700000000',
      email: 'billing@acme-isp.example.com',
      vat_rate: 15,
    },
    status: 201,
    then: 'the VAT rate of the invoices is 15 %',
    save: (data, ctx) => {
      ctx.ids.info = data.id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/utility/utility-details/',
    as: 'acme',
    extra: 'the bank account the invoices print',
    body: (ctx) => ({
      utility_master_id: ctx.ids.info,
      type: 'bank',
      name: 'City Bank',
      number: '1234567890',
      account_name: 'Acme ISP Ltd',
    }),
    status: 201,
    then: 'the bank account exists',
    save: (data, ctx) => {
      ctx.ids.bank = data.id;
    },
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/utility/utility-details/',
    as: 'acme',
    extra: 'a wallet no longer in use',
    body: (ctx) => ({
      utility_master_id: ctx.ids.info,
      type: 'bkash',
      name: 'bKash Merchant',
      number: '01711000000',
      is_active: false,
    }),
    status: 201,
    then: 'the inactive wallet exists',
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/utility/utility-info/',
    as: 'acme',
    status: 200,
    then: 'the information lists with details, active_details and vat_rate',
    shape: list(UTILITY_INFO),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.info]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/utility/utility-info/{info}/',
    as: 'acme',
    status: 200,
    then: 'details holds both, active_details only the bank, vat_rate 15.00',
    shape: { ...UTILITY_INFO, details: [UTILITY_DETAIL] },
    check: (data, ctx) => {
      expect(data.vat_rate).toBe('15.00');
      expect(data.details.map((d: { type: string }) => d.type)).toEqual(['bank', 'bkash']);
      expect(data.active_details.map((d: { id: string }) => d.id)).toEqual([ctx.ids.bank]);
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/utility/utility-details/?utility_master_id={info}&type=bank&is_active=true&search=City',
    as: 'acme',
    status: 200,
    then: "the seed's filters find the bank account",
    shape: list(UTILITY_DETAIL),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.bank]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/utility/utility-details/{bank}/',
    as: 'acme',
    status: 200,
    then: 'one detail is read',
    shape: UTILITY_DETAIL,
    check: (data) => expect(data).toMatchObject({ type: 'bank', name: 'City Bank' }),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/customers/kam/',
    as: 'acme',
    extra: 'the seed reads KAMs; the tenant writes them first',
    body: {
      kam_name: 'Ahmed Rahman',
      phone: '+8801712345678',
      email: 'ahmed.rahman@isp.com',
      address: 'Dhaka, Bangladesh',
      is_active: true,
    },
    status: 201,
    then: "the seed's KAM exists",
    save: (data, ctx) => {
      ctx.ids.kam = data.id;
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/customers/kam/?search=ahmed&ordering=kam_name',
    as: 'acme',
    status: 200,
    then: "the list has the seed's KAM fields",
    shape: list(KAM),
    check: (data) =>
      expect(data.results).toEqual([
        expect.objectContaining({
          kam_name: 'Ahmed Rahman',
          phone: '+8801712345678',
          email: 'ahmed.rahman@isp.com',
          address: 'Dhaka, Bangladesh',
          is_active: true,
          assigned_customers_count: 0,
        }),
      ]),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/packages/packages/',
    as: 'acme',
    body: { package_name: 'Home Standard', package_type: 'soho', mbps: 20 },
    status: 201,
    then: 'the package has no pricing yet',
    shape: PACKAGE,
    check: (data) =>
      expect(data).toMatchObject({ package_name: 'Home Standard', pricings_count: 0 }),
    save: (data, ctx) => {
      ctx.ids.package = data.id;
    },
  },
  {
    seed: '002',
    method: 'PATCH',
    path: '/api/packages/packages/{package}/',
    as: 'acme',
    body: { description: 'Home broadband, 20 Mbps' },
    status: 200,
    then: 'the description reads back',
    shape: PACKAGE,
    check: (data) => expect(data.description).toBe('Home broadband, 20 Mbps'),
  },
  {
    seed: '002',
    method: 'POST',
    path: '/api/packages/package-pricings/',
    as: 'acme',
    body: (ctx) => ({
      package_master_id: ctx.ids.package,
      rate: 2500.0,
      description: 'Monthly rate for Home Standard',
      is_active: true,
      val_start_at: '2025-01-01',
      val_end_at: '2025-12-31',
    }),
    status: 201,
    then: 'the rate reads as a money string',
    shape: PRICING,
    check: (data) =>
      expect(data).toMatchObject({
        rate: '2500.00',
        val_start_at: '2025-01-01',
        val_end_at: '2025-12-31',
      }),
    save: (data, ctx) => {
      ctx.ids.pricing = data.id;
    },
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/packages/packages/?package_type=soho&is_active=true&search=home',
    as: 'acme',
    status: 200,
    then: 'the package lists with active_pricing, pricings and pricings_count',
    shape: list({ ...PACKAGE, pricings: [PRICING] }),
    check: (data, ctx) =>
      expect(data.results).toEqual([
        expect.objectContaining({ id: ctx.ids.package, pricings_count: 1 }),
      ]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/packages/packages/{package}/pricings/',
    as: 'acme',
    status: 200,
    then: "the package's pricings are listed",
    shape: list(PRICING),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.pricing]),
  },
  {
    seed: '002',
    method: 'GET',
    path: '/api/packages/package-pricings/',
    as: 'acme',
    status: 200,
    then: 'every pricing is listed',
    shape: list(PRICING),
    check: (data, ctx) => expect(ids(data)).toEqual([ctx.ids.pricing]),
  },
];
