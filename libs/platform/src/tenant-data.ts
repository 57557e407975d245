import type { Connection } from 'mongoose';

/**
 * Deletes every document of a tenant from every collection of this service that carries a
 * `tenant_id` (every stored document does, by convention). Idempotent: a repeat deletes nothing.
 */
export async function deleteTenantDocuments(
  connection: Connection,
  tenantId: string,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const model of Object.values(connection.models)) {
    if (!model.schema.path('tenant_id')) continue;
    const result = await model.deleteMany({ tenant_id: tenantId });
    deleted[model.collection.name] = result.deletedCount;
  }
  return deleted;
}
