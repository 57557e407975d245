import { z } from 'zod';
import {
  bandwidthTypesView,
  BANDWIDTH_TYPES,
  bulkEntitlementDetailsRequest,
  createEntitlementDetailRequest,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  customerPatchRequest,
  customerRequest,
  customerView,
  DETAIL_STATUSES,
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
  UTILITY_TYPES,
} from '../api/customers';
import {
  utilityDetailPatchRequest,
  utilityDetailRequest,
  utilityDetailView,
  utilityInfoPatchRequest,
  utilityInfoRequest,
  utilityInfoView,
} from '../api/utility';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { defineRoute } from '../route';
import { crudRoutes } from './crud';

const read = 'customers:read';
const write = 'customers:update';

const detailFilters = {
  cust_entitlement_id: f.text('entitlement'),
  entitlement_master_id: f.text('alias of cust_entitlement_id'),
  customer_id: f.text('customer'),
  customer_master_id: f.text('alias of customer_id'),
  type: f.oneOf(CUSTOMER_TYPES),
  status: f.oneOf(DETAIL_STATUSES),
  is_active: f.flag(),
  bandwidth_type: f.oneOf(BANDWIDTH_TYPES),
};

/** A detail row is searched by its own fields and by its entitlement's. */
const DETAIL_SEARCH = '(search: type, bandwidth_type, status, remarks, bill_number, customer_name)';

/** Seed 002 CUSTOMERS app: KAM masters, customers, entitlements and their details. */
export const CUSTOMER_ROUTES = {
  kams: crudRoutes({
    path: '/api/customers/kam',
    resource: 'kams',
    tag: 'customers',
    noun: 'KAM (key account manager)',
    read,
    write,
    listSummary: 'List KAM masters with assigned_customers_count (search: kam_name, email, phone)',
    deleteSummary: 'Delete a KAM (409 while customers are assigned to them)',
    query: listParams({ is_active: f.flag() }),
    create: kamRequest,
    patch: kamPatchRequest,
    view: kamView,
  }),
  customers: crudRoutes({
    path: '/api/customers/customers',
    resource: 'customers',
    tag: 'customers',
    noun: 'customer',
    read,
    write,
    listSummary:
      'List customers with total_billed, total_paid, total_due, active_entitlements_count (search: customer_name, email, phone, customer_number)',
    deleteSummary: 'Delete a customer (409 while it owes a balance)',
    query: listParams({
      customer_type: f.oneOf(CUSTOMER_TYPES),
      status: f.oneOf(CUSTOMER_STATUSES),
      kam_id: f.text('KAM'),
      is_active: f.flag(),
    }),
    create: customerRequest,
    patch: customerPatchRequest,
    view: customerView,
  }),
  customerEntitlements: defineRoute({
    method: 'get',
    operationId: 'customers.listEntitlements',
    path: '/api/customers/customers/{id}/entitlements',
    tag: 'customers',
    permission: read,
    summary: "The customer's entitlements (search: bill_number, customer_name)",
    query: listParams({ activation_date: f.day('activation date (YYYY-MM-DD)') }),
    response: pageSchema(entitlementView),
  }),
  entitlements: crudRoutes({
    path: '/api/customers/entitlements',
    resource: 'entitlements',
    tag: 'entitlements',
    noun: 'entitlement',
    read,
    write,
    listSummary: 'List entitlements (search: bill_number, customer_name)',
    deleteSummary: 'Delete an entitlement with its details',
    query: listParams({
      customer_master_id: f.text('customer'),
      customer_id: f.text('alias of customer_master_id'),
      activation_date: f.day('activation date (YYYY-MM-DD)'),
    }),
    create: entitlementRequest,
    patch: entitlementPatchRequest,
    view: entitlementView,
  }),
  entitlementDetails: defineRoute({
    method: 'get',
    operationId: 'entitlements.listDetails',
    path: '/api/customers/entitlements/{id}/details',
    tag: 'entitlements',
    permission: read,
    summary: `The entitlement's details ${DETAIL_SEARCH}`,
    query: listParams(detailFilters),
    response: pageSchema(entitlementDetailView),
  }),
  createEntitlementDetails: defineRoute({
    method: 'post',
    operationId: 'entitlements.createDetails',
    path: '/api/customers/entitlements/{id}/details',
    tag: 'entitlements',
    permission: write,
    summary:
      'Create details in bulk (bandwidth_details, channel_partner_details or soho_details): all rows or none',
    body: bulkEntitlementDetailsRequest,
    status: 201,
    response: z.object({
      entitlement_master_id: z.string(),
      count: z.number().int(),
      results: z.array(entitlementDetailView),
    }),
  }),
  bandwidthTypes: defineRoute({
    method: 'get',
    operationId: 'entitlementDetails.bandwidthTypes',
    path: '/api/customers/entitlement-details/bandwidth_types',
    tag: 'entitlements',
    permission: read,
    summary: "A customer's bandwidth details grouped by bandwidth type",
    query: listParams({ ...detailFilters, customer_id: f.text('customer (required)') }),
    response: bandwidthTypesView,
  }),
  detailHistory: defineRoute({
    method: 'get',
    operationId: 'entitlementDetails.history',
    path: '/api/customers/entitlement-details/history',
    tag: 'entitlements',
    permission: read,
    summary: `Details in force at some point between start_date and end_date (or in the current period) ${DETAIL_SEARCH}`,
    query: listParams(detailFilters),
    response: pageSchema(entitlementDetailView).extend({
      start_date: z.string().nullable(),
      end_date: z.string().nullable(),
    }),
  }),
  details: crudRoutes({
    path: '/api/customers/entitlement-details',
    resource: 'entitlementDetails',
    tag: 'entitlements',
    noun: 'entitlement detail',
    read,
    write,
    listSummary: `List entitlement details ${DETAIL_SEARCH}`,
    query: listParams(detailFilters),
    create: createEntitlementDetailRequest,
    patch: createEntitlementDetailRequest,
    view: entitlementDetailView,
  }),
};

/** Seed 002 PACKAGE app: packages and their pricings. */
export const PACKAGE_ROUTES = {
  packages: crudRoutes({
    path: '/api/packages/packages',
    resource: 'packages',
    tag: 'packages',
    noun: 'package',
    read,
    write,
    listSummary:
      'List packages with active_pricing, pricings, pricings_count (search: package_name)',
    deleteSummary: 'Delete a package and its pricings (409 while entitlements use it)',
    query: listParams({ package_type: f.oneOf(CUSTOMER_TYPES), is_active: f.flag() }),
    create: packageRequest,
    patch: packagePatchRequest,
    view: packageView,
  }),
  packagePricings: defineRoute({
    method: 'get',
    operationId: 'packages.listPricings',
    path: '/api/packages/packages/{id}/pricings',
    tag: 'packages',
    permission: read,
    summary: "The package's pricings (search: description)",
    query: listParams({ is_active: f.flag() }),
    response: pageSchema(packagePricingView),
  }),
  pricings: crudRoutes({
    path: '/api/packages/package-pricings',
    resource: 'packagePricings',
    tag: 'packages',
    noun: 'package pricing',
    read,
    write,
    listSummary:
      'List package pricings (overlapping active windows of one package are refused, 409) (search: description)',
    query: listParams({
      package_master_id: f.text('package'),
      package_id: f.text('alias of package_master_id'),
      is_active: f.flag(),
    }),
    create: packagePricingRequest,
    patch: packagePricingPatchRequest,
    view: packagePricingView,
  }),
};

/** Seed 002 UTILITY app: the company information printed on invoices and its payment details. */
export const UTILITY_ROUTES = {
  infos: crudRoutes({
    path: '/api/utility/utility-info',
    resource: 'utilityInfos',
    tag: 'utility',
    noun: 'utility information master',
    read,
    write,
    listSummary:
      'List company information for invoices, with details, active_details, vat_rate (search: company_name, email, phone)',
    deleteSummary: 'Delete utility information with its details',
    query: listParams({ is_active: f.flag() }),
    create: utilityInfoRequest,
    patch: utilityInfoPatchRequest,
    view: utilityInfoView,
  }),
  details: crudRoutes({
    path: '/api/utility/utility-details',
    resource: 'utilityDetails',
    tag: 'utility',
    noun: 'utility detail',
    read,
    write,
    listSummary: 'List payment details (bank, bKash, Nagad) (search: name, number)',
    query: listParams({
      utility_master_id: f.text('utility information master'),
      type: f.oneOf(UTILITY_TYPES),
      is_active: f.flag(),
    }),
    create: utilityDetailRequest,
    patch: utilityDetailPatchRequest,
    view: utilityDetailView,
  }),
};
