import {
  AppError,
  PLATFORM_TENANT_ID,
  toMinor,
  type CreditPackagePatchRequest,
  type CreditPackageRequest,
  type ListQuery,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import type { CreditPackage } from '../store/credit-packages';
import type { CreditCaller, CreditsUseCaseDeps } from './deps';

function positivePrice(price: string | number, currency: string): number {
  const minor = toMinor(price, currency, 'price');
  if (minor <= 0)
    throw AppError.validation('Invalid price', [{ field: 'price', message: 'must be positive' }]);
  return minor;
}

export async function createCreditPackage(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  req: CreditPackageRequest,
): Promise<CreditPackage> {
  return deps.packages.insert({
    _id: newId('cpk'),
    name: req.name,
    credits: req.credits,
    price_minor: positivePrice(req.price, req.currency),
    currency: req.currency,
    is_active: req.is_active,
    created_by: caller.userId,
    updated_by: caller.userId,
  });
}

export async function getCreditPackage(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  id: string,
): Promise<CreditPackage> {
  const pkg = await deps.packages.findById(id);
  // an inactive package is the platform's business only
  if (!pkg || (!pkg.is_active && !caller.platformAdmin)) throw AppError.notFound('Credit package');
  return pkg;
}

export async function listCreditPackages(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  query: Pick<ListQuery, 'page' | 'perPage' | 'search' | 'searchFields'>,
) {
  return deps.packages.list({ activeOnly: !caller.platformAdmin, search: query }, query);
}

export async function updateCreditPackage(
  deps: CreditsUseCaseDeps,
  caller: CreditCaller,
  id: string,
  req: CreditPackagePatchRequest,
): Promise<CreditPackage> {
  await getCreditPackage(deps, caller, id); // an inactive one is the platform's only
  const key = { id, tenantId: PLATFORM_TENANT_ID };
  await deps.aggregates.change<CreditPackage>(deps.packages.aggregate, key, (pkg) => {
    const set: Partial<CreditPackage> = { updated_by: caller.userId };
    if (req.name !== undefined) set.name = req.name;
    if (req.credits !== undefined) set.credits = req.credits;
    if (req.is_active !== undefined) set.is_active = req.is_active;
    if (req.price !== undefined) set.price_minor = positivePrice(req.price, pkg.currency);
    return { set };
  });
  return getCreditPackage(deps, caller, id);
}
