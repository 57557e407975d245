import { AppError, type UpdateAccountSettingsRequest } from '@ledgerline/contracts';
import type { AccountSettings } from '../store/settings';
import type { AuthDeps, Caller } from './deps';

export function settingsView(s: AccountSettings) {
  return {
    id: s.tenant_id,
    name: s.name,
    slug: s.slug,
    billing_email: s.billing_email,
    billing_address_line1: s.billing_address_line1,
    billing_address_line2: s.billing_address_line2,
    billing_city: s.billing_city,
    billing_state: s.billing_state,
    billing_postal_code: s.billing_postal_code,
    billing_country: s.billing_country,
    tax_id: s.tax_id,
    credit_balance: s.credit_balance,
    created_at: new Date(s.created_at).toISOString(),
    updated_at: new Date(s.updated_at).toISOString(),
  };
}

async function settingsOf(deps: AuthDeps, caller: Caller): Promise<AccountSettings> {
  const user = await deps.users.findById(caller.userId);
  const membership = user?.memberships.find((m) => m.tenant_id === caller.tenantId);
  if (!membership) throw AppError.notFound('Account');
  return deps.settings.findOrCreate(caller.tenantId, {
    name: membership.tenant_name,
    slug: membership.tenant_slug,
  });
}

export async function getAccountSettings(deps: AuthDeps, caller: Caller) {
  return settingsView(await settingsOf(deps, caller));
}

export async function updateAccountSettings(
  deps: AuthDeps,
  caller: Caller,
  req: UpdateAccountSettingsRequest,
) {
  await settingsOf(deps, caller);
  const key = { id: caller.tenantId, tenantId: caller.tenantId };
  await deps.aggregates.change<AccountSettings>(deps.settings.aggregate, key, () => ({
    set: { ...req, updated_by: caller.userId },
  }));
  return settingsView((await deps.settings.find(caller.tenantId)) as AccountSettings);
}
