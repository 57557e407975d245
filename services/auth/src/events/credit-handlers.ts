import type { AggregateWriter, EventHandlers } from '@ledgerline/platform';
import type { AccountSettings, SettingsStore } from '../store/settings';
import type { UserStore } from '../store/users';

/**
 * Keeps account settings' credit_balance from billing's CreditTransactionRecorded events. Each
 * carries the tenant's per-tenant seq and the balance after it, so the highest seq seen wins: a
 * redelivered or late (out-of-order) event changes nothing.
 */
export function creditHandlers(deps: {
  settings: SettingsStore;
  users: UserStore;
  aggregates: AggregateWriter;
}): EventHandlers {
  return {
    CreditTransactionRecorded: async (event) => {
      const { tenant_id: tenantId, seq, balance_after } = event.data;
      if (!(await deps.settings.find(tenantId))) {
        // settings are made on first read from the tenant's name; make them now the same way
        const [member] = await deps.users.members(tenantId);
        const membership = member?.memberships.find((m) => m.tenant_id === tenantId);
        if (!membership) return; // no such tenant here (deleted): nothing to show it to
        await deps.settings.findOrCreate(tenantId, {
          name: membership.tenant_name,
          slug: membership.tenant_slug,
        });
      }
      const key = { id: tenantId, tenantId };
      await deps.aggregates.change<AccountSettings>(deps.settings.aggregate, key, (settings) =>
        (settings.credit_seq ?? 0) >= seq
          ? undefined
          : { set: { credit_balance: balance_after, credit_seq: seq } },
      );
    },
  };
}
