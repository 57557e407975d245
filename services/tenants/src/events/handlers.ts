import type { EventHandlers } from '@ledgerline/platform';
import type { TenantStore } from '../store/tenants';

export function tenantHandlers(tenants: TenantStore): EventHandlers {
  return {
    TenantRegistered: async (event) => {
      const d = event.data;
      await tenants.createIfAbsent({
        _id: d.tenant_id,
        name: d.name,
        slug: d.slug,
        type: d.type,
        owner_user_id: d.owner_user_id,
        status: 'active',
      });
    },
  };
}
