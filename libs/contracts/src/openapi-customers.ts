import { z } from 'zod';
import { pageSchema } from './envelope';
import { listQuery, type RouteSpec } from './openapi-types';
import {
  bandwidthTypesView,
  bulkEntitlementDetailsRequest,
  createEntitlementDetailRequest,
  customerPatchRequest,
  customerRequest,
  customerView,
  entitlementDetailView,
  entitlementPatchRequest,
  entitlementRequest,
  entitlementView,
  kamPatchRequest,
  kamRequest,
  kamView,
  packagePatchRequest,
  packagePricingPatchRequest,
  packagePricingRequest,
  packagePricingView,
  packageRequest,
  packageView,
  utilityDetailPatchRequest,
  utilityDetailRequest,
  utilityDetailView,
  utilityInfoPatchRequest,
  utilityInfoRequest,
  utilityInfoView,
} from './api/customers';

const deleted = z.object({ id: z.string(), deleted: z.boolean() });
const filter = (description: string) => z.string().optional().describe(description);

/**
 * List, create, read, PATCH, PUT and DELETE of one resource, all documented with the schemas that
 * validate them.
 */
function crud(spec: {
  path: string;
  tag: string;
  noun: string;
  query: z.ZodObject;
  create: z.ZodType;
  patch: z.ZodType;
  view: z.ZodType;
  listSummary?: string;
  deleteSummary?: string;
}): RouteSpec[] {
  const one = `${spec.path}/{id}`;
  return [
    {
      method: 'get',
      path: spec.path,
      tag: spec.tag,
      summary: spec.listSummary ?? `List ${spec.noun}s`,
      query: spec.query,
      response: pageSchema(spec.view),
    },
    {
      method: 'post',
      path: spec.path,
      tag: spec.tag,
      summary: `Create a ${spec.noun}`,
      body: spec.create,
      status: 201,
      response: spec.view,
    },
    {
      method: 'get',
      path: one,
      tag: spec.tag,
      summary: `One ${spec.noun}`,
      response: spec.view,
    },
    {
      method: 'patch',
      path: one,
      tag: spec.tag,
      summary: `Change some fields of a ${spec.noun}`,
      body: spec.patch,
      response: spec.view,
    },
    {
      method: 'put',
      path: one,
      tag: spec.tag,
      summary: `Replace a ${spec.noun}`,
      body: spec.create,
      response: spec.view,
    },
    {
      method: 'delete',
      path: one,
      tag: spec.tag,
      summary: spec.deleteSummary ?? `Delete a ${spec.noun}`,
      response: deleted,
    },
  ];
}

const detailQuery = listQuery.extend({
  cust_entitlement_id: filter('entitlement (alias: entitlement_master_id)'),
  customer_id: filter('customer'),
  type: filter('bw, channel_partner or soho'),
  status: filter('active, inactive, suspended or terminated'),
  is_active: filter('true or false'),
  bandwidth_type: filter('ipt, gcc, cdn, nix, baishan or other'),
});

/** A detail row is searched by its own fields and by its entitlement's. */
const DETAIL_SEARCH = '(search: type, bandwidth_type, status, remarks, bill_number, customer_name)';

/** The customers service's public routes (seed 002 CUSTOMERS, PACKAGE and UTILITY apps). */
export const CUSTOMER_ROUTES: RouteSpec[] = [
  ...crud({
    path: '/api/customers/kam',
    tag: 'customers',
    noun: 'KAM (key account manager)',
    listSummary: 'List KAM masters with assigned_customers_count (search: kam_name, email, phone)',
    deleteSummary: 'Delete a KAM (409 while customers are assigned to them)',
    query: listQuery.extend({ is_active: filter('true or false') }),
    create: kamRequest,
    patch: kamPatchRequest,
    view: kamView,
  }),
  ...crud({
    path: '/api/customers/customers',
    tag: 'customers',
    noun: 'customer',
    listSummary:
      'List customers with total_billed, total_paid, total_due, active_entitlements_count (search: customer_name, email, phone, customer_number)',
    deleteSummary: 'Delete a customer (409 while it owes a balance)',
    query: listQuery.extend({
      customer_type: filter('bw, channel_partner or soho'),
      status: filter('active, inactive or suspended'),
      kam_id: filter('KAM'),
      is_active: filter('true or false'),
    }),
    create: customerRequest,
    patch: customerPatchRequest,
    view: customerView,
  }),
  {
    method: 'get',
    path: '/api/customers/customers/{id}/entitlements',
    tag: 'customers',
    summary: "The customer's entitlements (search: bill_number, customer_name)",
    query: listQuery,
    response: pageSchema(entitlementView),
  },
  ...crud({
    path: '/api/customers/entitlements',
    tag: 'entitlements',
    noun: 'entitlement',
    listSummary: 'List entitlements (search: bill_number, customer_name)',
    deleteSummary: 'Delete an entitlement with its details',
    query: listQuery.extend({
      customer_master_id: filter('customer'),
      activation_date: filter('activation date (YYYY-MM-DD)'),
    }),
    create: entitlementRequest,
    patch: entitlementPatchRequest,
    view: entitlementView,
  }),
  {
    method: 'get',
    path: '/api/customers/entitlements/{id}/details',
    tag: 'entitlements',
    summary: `The entitlement's details ${DETAIL_SEARCH}`,
    query: detailQuery,
    response: pageSchema(entitlementDetailView),
  },
  {
    method: 'post',
    path: '/api/customers/entitlements/{id}/details',
    tag: 'entitlements',
    summary:
      'Create details in bulk (bandwidth_details, channel_partner_details or soho_details): all rows or none',
    body: bulkEntitlementDetailsRequest,
    status: 201,
    response: z.object({
      entitlement_master_id: z.string(),
      count: z.number().int(),
      results: z.array(entitlementDetailView),
    }),
  },
  {
    method: 'get',
    path: '/api/customers/entitlement-details/bandwidth_types',
    tag: 'entitlements',
    summary: "A customer's bandwidth details grouped by bandwidth type",
    query: z.object({
      customer_id: z.string().describe('customer (required)'),
      is_active: filter('true or false'),
      status: filter('detail status'),
    }),
    response: bandwidthTypesView,
  },
  {
    method: 'get',
    path: '/api/customers/entitlement-details/history',
    tag: 'entitlements',
    summary: `Details in force at some point between start_date and end_date (or in the period) ${DETAIL_SEARCH}`,
    query: detailQuery.extend({ period: filter('monthly or weekly (the current one)') }),
    response: pageSchema(entitlementDetailView).extend({
      start_date: z.string().nullable(),
      end_date: z.string().nullable(),
    }),
  },
  ...crud({
    path: '/api/customers/entitlement-details',
    tag: 'entitlements',
    noun: 'entitlement detail',
    listSummary: `List entitlement details ${DETAIL_SEARCH}`,
    query: detailQuery,
    create: createEntitlementDetailRequest,
    patch: createEntitlementDetailRequest,
    view: entitlementDetailView,
  }),
  ...crud({
    path: '/api/packages/packages',
    tag: 'packages',
    noun: 'package',
    listSummary:
      'List packages with active_pricing, pricings, pricings_count (search: package_name)',
    deleteSummary: 'Delete a package and its pricings (409 while entitlements use it)',
    query: listQuery.extend({
      package_type: filter('bw, channel_partner or soho'),
      is_active: filter('true or false'),
    }),
    create: packageRequest,
    patch: packagePatchRequest,
    view: packageView,
  }),
  {
    method: 'get',
    path: '/api/packages/packages/{id}/pricings',
    tag: 'packages',
    summary: "The package's pricings (search: description)",
    query: listQuery.extend({ is_active: filter('true or false') }),
    response: pageSchema(packagePricingView),
  },
  ...crud({
    path: '/api/packages/package-pricings',
    tag: 'packages',
    noun: 'package pricing',
    listSummary:
      'List package pricings (overlapping active windows of one package are refused, 409) (search: description)',
    query: listQuery.extend({
      package_master_id: filter('package'),
      is_active: filter('true or false'),
    }),
    create: packagePricingRequest,
    patch: packagePricingPatchRequest,
    view: packagePricingView,
  }),
  ...crud({
    path: '/api/utility/utility-info',
    tag: 'utility',
    noun: 'utility information master',
    listSummary:
      'List company information for invoices, with details, active_details, vat_rate (search: company_name, email, phone)',
    deleteSummary: 'Delete utility information with its details',
    query: listQuery.extend({ is_active: filter('true or false') }),
    create: utilityInfoRequest,
    patch: utilityInfoPatchRequest,
    view: utilityInfoView,
  }),
  ...crud({
    path: '/api/utility/utility-details',
    tag: 'utility',
    noun: 'utility detail',
    listSummary: 'List payment details (bank, bKash, Nagad) (search: name, number)',
    query: listQuery.extend({
      utility_master_id: filter('utility information master'),
      type: filter('bank, bkash or nagad'),
      is_active: filter('true or false'),
    }),
    create: utilityDetailRequest,
    patch: utilityDetailPatchRequest,
    view: utilityDetailView,
  }),
];
