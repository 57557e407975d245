import {
  AppError,
  parseRate,
  toMinor,
  type BandwidthType,
  type BulkEntitlementDetailsRequest,
  type CustomerType,
  type DetailStatus,
  type EntitlementDetailFields,
  type ErrorDetail,
} from '@ledgerline/contracts';
import { pricingOn, type PricingWindow } from './pricing';

/** The stored, validated fields of one entitlement detail row (money in minor units). */
export interface DetailRowFields {
  type: CustomerType;
  bandwidth_type: BandwidthType | null;
  mbps: number | null;
  unit_price_minor: number | null;
  /** Hundredths of a percent (4550 = 45.50 %). */
  custom_mac_share: number | null;
  package_master_id: string | null;
  package_pricing_id: string | null;
  start_date: string;
  end_date: string | null;
  is_active: boolean;
  status: DetailStatus;
  remarks: string | null;
}

/** What a soho row needs to know about its package. */
export interface PackageFacts {
  id: string;
  package_type: CustomerType;
  currency: string;
  mbps: number | null;
  pricings: readonly (PricingWindow & { rate_minor: number })[];
}

export interface RowContext {
  /** The customer's currency: every price of its entitlements is in it. */
  currency: string;
  /** The packages the rows name, by id (missing = not found in the tenant). */
  packages: ReadonlyMap<string, PackageFacts>;
}

/** Seed 002's bulk lists and the customer type each one is for. */
export const DETAIL_LISTS = {
  bandwidth_details: 'bw',
  channel_partner_details: 'channel_partner',
  soho_details: 'soho',
} as const satisfies Record<string, CustomerType>;
type DetailList = keyof typeof DETAIL_LISTS;

export const LIST_FOR_TYPE: Record<CustomerType, DetailList> = {
  bw: 'bandwidth_details',
  channel_partner: 'channel_partner_details',
  soho: 'soho_details',
};

/** Fields each kind of row uses; anything else sent with a value is refused, not ignored. */
const NOT_USED: Record<CustomerType, (keyof EntitlementDetailFields)[]> = {
  bw: ['custom_mac_percentage_share', 'package_master_id', 'package_pricing_id'],
  channel_partner: ['bandwidth_type', 'package_master_id', 'package_pricing_id'],
  soho: ['bandwidth_type', 'custom_mac_percentage_share'],
};

const EMPTY_ROW = (type: CustomerType): DetailRowFields => ({
  type,
  bandwidth_type: null,
  mbps: null,
  unit_price_minor: null,
  custom_mac_share: null,
  package_master_id: null,
  package_pricing_id: null,
  start_date: '',
  end_date: null,
  is_active: true,
  status: 'active',
  remarks: null,
});

function collect<T>(errors: ErrorDetail[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AppError && err.details) {
      errors.push(...err.details);
      return undefined;
    }
    throw err;
  }
}

/**
 * Validates one row of `kind` (a new one, or `base` changed by `input`) and answers its stored
 * fields, or every problem found, each naming its field through `at` (e.g.
 * `bandwidth_details.2.mbps`). Pure: packages and pricings come in through `ctx`.
 */
export function buildDetailRow(
  kind: CustomerType,
  input: EntitlementDetailFields,
  base: DetailRowFields | null,
  ctx: RowContext,
  at: (field: string) => string = (f) => f,
): { row: DetailRowFields; errors: [] } | { row: null; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const fail = (field: string, message: string) => errors.push({ field: at(field), message });

  if (input.type !== undefined && input.type !== kind) {
    fail('type', `must be ${kind}: it is the customer's type`);
  }
  for (const field of NOT_USED[kind]) {
    if (input[field] !== undefined && input[field] !== null) {
      fail(field, `is not used by ${kind} entitlements`);
    }
  }

  const row: DetailRowFields = { ...(base ?? EMPTY_ROW(kind)), type: kind };
  if (input.bandwidth_type !== undefined) row.bandwidth_type = input.bandwidth_type;
  if (input.mbps !== undefined) row.mbps = input.mbps;
  if (input.start_date !== undefined) row.start_date = input.start_date;
  if (input.end_date !== undefined) row.end_date = input.end_date;
  if (input.is_active !== undefined) row.is_active = input.is_active;
  if (input.status !== undefined) row.status = input.status;
  if (input.remarks !== undefined) row.remarks = input.remarks;

  let explicitPrice = false;
  if (input.unit_price !== undefined && input.unit_price !== null) {
    const minor = collect(errors, () =>
      toMinor(input.unit_price as string | number, ctx.currency, at('unit_price')),
    );
    if (minor !== undefined && minor <= 0) fail('unit_price', 'must be positive');
    if (minor !== undefined) {
      row.unit_price_minor = minor;
      explicitPrice = true;
    }
  } else if (input.unit_price === null) {
    row.unit_price_minor = null;
  }
  if (input.custom_mac_percentage_share !== undefined) {
    const share = input.custom_mac_percentage_share;
    row.custom_mac_share =
      share === null
        ? null
        : (collect(errors, () => parseRate(share, at('custom_mac_percentage_share'))) ?? null);
  }

  if (!row.start_date) fail('start_date', 'is required');
  if (row.start_date && row.end_date && row.end_date < row.start_date) {
    fail('end_date', 'must be on or after start_date');
  }

  if (kind === 'bw' && row.bandwidth_type === null) fail('bandwidth_type', 'is required');
  if (kind !== 'soho') {
    if (row.mbps === null) fail('mbps', 'is required');
    if (row.unit_price_minor === null && !errors.some((e) => e.field === at('unit_price')))
      fail('unit_price', 'is required');
  }
  if (
    kind === 'channel_partner' &&
    row.custom_mac_share === null &&
    !errors.some((e) => e.field === at('custom_mac_percentage_share'))
  ) {
    fail('custom_mac_percentage_share', 'is required');
  }
  if (kind !== 'soho') {
    row.package_master_id = null;
    row.package_pricing_id = null;
  }
  if (kind !== 'channel_partner') row.custom_mac_share = null;
  if (kind !== 'bw') row.bandwidth_type = null;

  if (kind === 'soho') resolvePackage(row, input, base, ctx, fail, explicitPrice);

  return errors.length > 0 ? { row: null, errors } : { row, errors: [] };
}

/**
 * A soho row is priced by a package: its pricing is the one named, or else the one valid on the
 * row's start date; its unit price is the one sent, or else the pricing's rate.
 */
function resolvePackage(
  row: DetailRowFields,
  input: EntitlementDetailFields,
  base: DetailRowFields | null,
  ctx: RowContext,
  fail: (field: string, message: string) => void,
  explicitPrice: boolean,
): void {
  if (input.package_master_id !== undefined) {
    row.package_master_id = input.package_master_id;
    // another package: its pricing is chosen again unless one is named
    if (input.package_master_id !== base?.package_master_id) row.package_pricing_id = null;
  }
  if (input.package_pricing_id !== undefined) row.package_pricing_id = input.package_pricing_id;
  if (!row.package_master_id) {
    fail('package_master_id', 'is required');
    return;
  }
  const pkg = ctx.packages.get(row.package_master_id);
  if (!pkg) {
    fail('package_master_id', 'no such package');
    return;
  }
  if (pkg.package_type !== 'soho') {
    fail(
      'package_master_id',
      `is a ${pkg.package_type} package; soho entitlements need a soho package`,
    );
    return;
  }
  if (pkg.currency !== ctx.currency) {
    fail(
      'package_master_id',
      `is priced in ${pkg.currency} but the customer is billed in ${ctx.currency}`,
    );
    return;
  }
  let pricing = null;
  if (row.package_pricing_id) {
    pricing = pkg.pricings.find((p) => p.id === row.package_pricing_id) ?? null;
    if (!pricing) {
      fail('package_pricing_id', 'is not a pricing of this package');
      return;
    }
  } else if (row.start_date) {
    pricing = pricingOn(pkg.pricings, row.start_date);
    if (!pricing) {
      fail('package_pricing_id', `the package has no active pricing valid on ${row.start_date}`);
      return;
    }
    row.package_pricing_id = pricing.id;
  }
  const pricingChanged =
    !base ||
    row.package_pricing_id !== base.package_pricing_id ||
    row.package_master_id !== base.package_master_id;
  if (pricing && !explicitPrice && (pricingChanged || row.unit_price_minor === null)) {
    row.unit_price_minor = pricing.rate_minor;
  }
  if (row.mbps === null) row.mbps = pkg.mbps;
}

/** The package ids a bulk request's soho rows name (to be loaded before validation). */
export function packageIdsOf(rows: readonly { package_master_id?: string | null }[]): string[] {
  return [...new Set(rows.map((r) => r.package_master_id).filter((id): id is string => !!id))];
}

/**
 * Seed 002 bulk creation, all or nothing: every row of the list matching the customer's type is
 * validated, and one problem anywhere refuses the whole request naming each bad field.
 */
export function buildBulkRows(
  req: BulkEntitlementDetailsRequest,
  customerType: CustomerType,
  ctx: RowContext,
): DetailRowFields[] {
  const expected = LIST_FOR_TYPE[customerType];
  const errors: ErrorDetail[] = [];
  const rows: DetailRowFields[] = [];
  let sent = 0;
  for (const list of Object.keys(DETAIL_LISTS) as DetailList[]) {
    const items = req[list];
    if (!items || items.length === 0) continue;
    sent += items.length;
    if (list !== expected) {
      errors.push({
        field: list,
        message: `this is a ${customerType} customer: send its rows as ${expected}`,
      });
      continue;
    }
    items.forEach((item: EntitlementDetailFields, i) => {
      const result = buildDetailRow(
        DETAIL_LISTS[list],
        item,
        null,
        ctx,
        (f) => `${list}.${i}.${f}`,
      );
      if (result.row) rows.push(result.row);
      else errors.push(...result.errors);
    });
  }
  if (sent === 0) {
    errors.push({ field: expected, message: 'must contain at least one row' });
  }
  if (errors.length > 0) {
    throw AppError.validation('Invalid entitlement details; nothing was saved', errors);
  }
  return rows;
}

/** In force today: switched on, status active, and today within its dates. */
export function isRowActive(
  row: Pick<DetailRowFields, 'is_active' | 'status' | 'start_date' | 'end_date'>,
  today: string,
): boolean {
  return (
    row.is_active &&
    row.status === 'active' &&
    row.start_date <= today &&
    (row.end_date === null || row.end_date >= today)
  );
}

/** Rows in force at some point of [start, end] (either bound may be open). */
export function rowOverlapsRange(
  row: Pick<DetailRowFields, 'start_date' | 'end_date'>,
  start: string | null,
  end: string | null,
): boolean {
  return (
    (end === null || row.start_date <= end) &&
    (start === null || row.end_date === null || row.end_date >= start)
  );
}
