import {
  AppError,
  buildEvent,
  CUSTOMER_TYPES,
  formatMinor,
  type ListQuery,
  type PackagePatchRequest,
  type PackagePricingPatchRequest,
  type PackagePricingRequest,
  type PackagePricingView,
  type PackageRequest,
  type PackageView,
  type EventEnvelope,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { findOverlap } from '../domain/pricing';
import type { Package, PackagePricing } from '../store/packages';
import { packageView, pricingView } from '../views';
import { pricingSnapshot } from '../domain/snapshots';
import { fieldsOf, today, type Caller, type CustomersDeps } from './context';
import { eachViewed, resourceReads } from './reads';
import { boolFilter, enumFilter, textFilter } from './filters';
import {
  invalid,
  newDocument,
  newRevisioned,
  nonNegativeMinor,
  withReferenced,
  type Reference,
} from './writes';

/** The pricing's snapshot for billing (it prices soho rows per billing period). */
function pricingChanged(p: PackagePricing, caller: Caller): EventEnvelope {
  return buildEvent('PackagePricingChanged', {
    tenant_id: p.tenant_id,
    correlation_id: caller.correlationId,
    data: pricingSnapshot(p),
  });
}

/** Soft-deletes a pricing with its last event (callers hold the package's lock). */
async function removePricing(deps: CustomersDeps, caller: Caller, id: string) {
  await deps.aggregates.change<PackagePricing>(
    deps.packages.pricingAggregate,
    { id, tenantId: caller.tenantId },
    (pricing) => {
      const set = { deleted_at: new Date(), updated_by: caller.userId };
      const gone = { ...pricing, ...set, revision: (pricing.revision ?? 0) + 1 };
      return { set, events: [pricingChanged(gone, caller)] };
    },
  );
}

const PACKAGE_DEFAULTS = { description: null, mbps: null, is_active: true };
const PRICING_DEFAULTS = { description: null, is_active: true, val_end_at: null };
type PackageFields = Pick<
  Package,
  'package_name' | 'package_type' | 'description' | 'mbps' | 'is_active' | 'currency'
>;

async function views(deps: CustomersDeps, tenantId: string, packages: Package[]) {
  const pricings = await deps.packages.pricingsOf(
    tenantId,
    packages.map((p) => p._id),
  );
  const day = today(deps);
  return packages.map((p) =>
    packageView(
      p,
      pricings.filter((x) => x.package_id === p._id),
      day,
    ),
  );
}

const packageReads = resourceReads({
  label: 'Package',
  find: (deps, tenantId, id) => deps.packages.findPackage(tenantId, id),
  views,
});
const findPackage = packageReads.find;
export const getPackage = packageReads.get;

export async function listPackages(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const { results, count } = await deps.packages.listPackages(caller.tenantId, query, {
    package_type: enumFilter(query, 'package_type', CUSTOMER_TYPES),
    is_active: boolFilter(query, 'is_active'),
  });
  return packageReads.page(deps, caller, { results, count });
}

export async function createPackage(
  deps: CustomersDeps,
  caller: Caller,
  req: PackageRequest,
): Promise<PackageView> {
  const fields = {
    ...fieldsOf(req, true, PACKAGE_DEFAULTS),
    currency: req.currency ?? deps.defaultCurrency,
  } as PackageFields;
  const pkg = await deps.packages.insertPackage(newDocument(newId('pkg'), caller, fields));
  return packageView(pkg, [], today(deps));
}

/**
 * PATCH or PUT. The currency cannot change once the package has pricings (their rates are in
 * it), nor its type while entitlement rows use it (they were validated for soho).
 */
export async function updatePackage(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: PackagePatchRequest,
  full: boolean,
): Promise<PackageView> {
  const set = fieldsOf(req, full, PACKAGE_DEFAULTS) as Partial<Package>;
  // the package's lock (it has no version) also keeps new pricings and rows out meanwhile
  const key = { id, tenantId: caller.tenantId };
  await deps.aggregates.change<Package>(deps.packages.packageAggregate, key, async (current) => {
    if (set.currency !== undefined && set.currency !== current.currency) {
      if ((await deps.packages.countPricings(caller.tenantId, id)) > 0) {
        throw AppError.conflict(
          'in_use',
          'The currency cannot change once the package has pricings',
          [{ field: 'currency', message: `its pricings are in ${current.currency}` }],
        );
      }
    }
    if (set.package_type !== undefined && set.package_type !== current.package_type) {
      if (await deps.entitlements.packageInUse(caller.tenantId, { packageId: id })) {
        throw AppError.conflict(
          'in_use',
          'The package type cannot change while entitlements use it',
          [{ field: 'package_type', message: 'entitlement details use this package' }],
        );
      }
    }
    return { set: { ...set, updated_by: caller.userId } };
  });
  return getPackage(deps, caller, id);
}

/** A package that entitlement rows use cannot be deleted; otherwise it goes with its pricings. */
export async function deletePackage(deps: CustomersDeps, caller: Caller, id: string) {
  await deps.aggregates.guard(deps.packages.packageAggregate, id, async (pkg) => {
    await findPackage(deps, caller, id);
    if (await deps.entitlements.packageInUse(caller.tenantId, { packageId: id })) {
      throw AppError.conflict(
        'in_use',
        'Entitlement details use this package; it cannot be deleted',
      );
    }
    for (const pricing of await deps.packages.pricingsOf(caller.tenantId, [id])) {
      await removePricing(deps, caller, pricing._id);
    }
    await pkg.remove(caller.tenantId);
  });
}

// ---------------------------------------------------------------- pricings

const pricingReads = resourceReads({
  label: 'Package pricing',
  find: (deps, tenantId, id) => deps.packages.findPricing(tenantId, id),
  views: eachViewed(pricingView),
});
export const getPricing = pricingReads.get;

export async function listPricings(
  deps: CustomersDeps,
  caller: Caller,
  query: ListQuery,
  packageId?: string,
) {
  if (packageId) await findPackage(deps, caller, packageId);
  const found = await deps.packages.listPricings(caller.tenantId, query, {
    package_id: packageId ?? textFilter(query, 'package_master_id', 'package_id'),
    is_active: boolFilter(query, 'is_active'),
  });
  return pricingReads.page(deps, caller, found);
}

const rateOf = (value: string | number, currency: string): number =>
  nonNegativeMinor(value, currency, 'rate', 'Invalid package pricing');

/**
 * Checks a pricing's window against the package's other pricings. Runs under the package's lock,
 * so two overlapping pricings cannot both pass the check at once.
 */
async function assertWindow(deps: CustomersDeps, caller: Caller, candidate: PackagePricing) {
  if (candidate.val_end_at !== null && candidate.val_end_at < candidate.val_start_at) {
    throw invalid('Invalid package pricing', 'val_end_at', 'must be on or after val_start_at');
  }
  const existing = await deps.packages.pricingsOf(caller.tenantId, [candidate.package_id]);
  const clash = findOverlap(
    { ...candidate, id: candidate._id },
    existing.map((p) => ({ ...p, id: p._id })),
  );
  if (clash) {
    const window = `${clash.val_start_at} to ${clash.val_end_at ?? 'open end'}`;
    throw AppError.conflict(
      'duplicate',
      `The validity window overlaps active pricing ${clash._id} (${window}, ${formatMinor(clash.rate_minor, clash.currency)} ${clash.currency})`,
      [
        {
          field: 'val_start_at',
          message: `overlaps pricing ${clash._id} valid ${window}`,
          conflicting_pricing_id: clash._id,
        },
      ],
    );
  }
}

/** The package a new pricing names (its lock also keeps other pricings' windows still). */
const PACKAGE_REFERENCE: Reference<Package> = {
  aggregate: (deps) => deps.packages.packageAggregate,
  find: (deps, tenantId, id) => deps.packages.findPackage(tenantId, id),
  refusal: () =>
    invalid('Invalid package pricing', 'package_master_id', 'no such package in this account'),
};

export async function createPricing(
  deps: CustomersDeps,
  caller: Caller,
  req: PackagePricingRequest,
): Promise<PackagePricingView> {
  const saved = await withReferenced(
    deps,
    caller,
    PACKAGE_REFERENCE,
    req.package_master_id,
    async (pkg) => {
      const pricing: PackagePricing = newRevisioned(newId('ppr'), caller, {
        package_id: pkg._id,
        rate_minor: rateOf(req.rate, pkg.currency),
        currency: pkg.currency,
        description: req.description ?? null,
        is_active: req.is_active ?? true,
        val_start_at: req.val_start_at,
        val_end_at: req.val_end_at ?? null,
      });
      await assertWindow(deps, caller, pricing);
      return deps.packages.insertPricing(pricing, [pricingChanged(pricing, caller)]);
    },
  );
  deps.publishSoon([saved._id]);
  return pricingView(saved);
}

/** PATCH or PUT; the new window is checked for overlaps like a new pricing's. */
export async function updatePricing(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: PackagePricingPatchRequest,
  full: boolean,
): Promise<PackagePricingView> {
  const first = await pricingReads.find(deps, caller, id);
  if (req.package_master_id !== undefined && req.package_master_id !== first.package_id) {
    throw invalid(
      'Invalid package pricing',
      'package_master_id',
      'a pricing cannot move to another package',
    );
  }
  // the package's lock: no other pricing of it changes its window meanwhile
  await deps.aggregates.guard(deps.packages.packageAggregate, first.package_id, () =>
    deps.aggregates.change<PackagePricing>(
      deps.packages.pricingAggregate,
      { id, tenantId: caller.tenantId },
      async (current) => {
        const { package_master_id: _p, rate, ...rest } = req;
        const set = fieldsOf(rest, full, PRICING_DEFAULTS) as Partial<PackagePricing>;
        if (rate !== undefined) set.rate_minor = rateOf(rate, current.currency);
        await assertWindow(deps, caller, { ...current, ...set });
        const next = { ...current, ...set, revision: (current.revision ?? 0) + 1 };
        return {
          set: { ...set, updated_by: caller.userId },
          events: [pricingChanged(next, caller)],
        };
      },
    ),
  );
  return getPricing(deps, caller, id);
}

/** A pricing that entitlement rows are priced by cannot be deleted (deactivate it instead). */
export async function deletePricing(deps: CustomersDeps, caller: Caller, id: string) {
  const first = await pricingReads.find(deps, caller, id);
  await deps.aggregates.guard(deps.packages.packageAggregate, first.package_id, async () => {
    await pricingReads.find(deps, caller, id);
    if (await deps.entitlements.packageInUse(caller.tenantId, { pricingId: id })) {
      throw AppError.conflict(
        'in_use',
        'Entitlement details are priced by this pricing; deactivate it instead of deleting it',
      );
    }
    await removePricing(deps, caller, id);
  });
}
