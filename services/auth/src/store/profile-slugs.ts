import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope } from '@ledgerline/contracts';
import {
  defineAggregate,
  isDuplicateKeyError,
  modelOf,
  outboxOnInsert,
  outboxSchemaFields,
  type OutboxFields,
} from '@ledgerline/platform';

/**
 * Every profile (tenant) slug, reserved by an atomic unique insert: seed 001 addresses profiles
 * by slug, so two may never share one. A profile created without a user (a shadow profile)
 * carries its TenantRegistered event here.
 */
interface ProfileSlug {
  _id: string;
  tenant_id: string;
  created_at: Date;
}

type ProfileSlugDoc = ProfileSlug & OutboxFields;

const slugSchema = new Schema<ProfileSlugDoc>(
  {
    _id: String,
    tenant_id: { type: String, required: true },
    created_at: Date,
    ...outboxSchemaFields,
  },
  { collection: 'profile_slugs', versionKey: false },
);
slugSchema.index({ tenant_id: 1 });

export function profileSlugStore(connection: Connection) {
  const model = modelOf<ProfileSlugDoc>(connection, 'ProfileSlug', slugSchema);
  return {
    model,
    /** Written once (a reservation) and removed; only its outbox relay changes it. */
    aggregate: defineAggregate({
      name: 'slug',
      label: 'Profile',
      model,
      versionField: null,
      tenantScoped: false,
    }),
    /** true when reserved now; false when the slug belongs to another tenant. */
    async reserve(slug: string, tenantId: string, events: EventEnvelope[] = []): Promise<boolean> {
      try {
        await model.create({
          _id: slug,
          tenant_id: tenantId,
          created_at: new Date(),
          ...outboxOnInsert(events),
        });
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        return (await model.exists({ _id: slug, tenant_id: tenantId })) !== null;
      }
    },
    /** Reserves `base`, or `base-2`, `base-3`... for sign-ups, which must not fail on a taken name. */
    async reserveFree(base: string, tenantId: string): Promise<string> {
      for (let n = 1; n < 1000; n++) {
        const candidate = n === 1 ? base : `${base.slice(0, 58)}-${n}`;
        if (await this.reserve(candidate, tenantId)) return candidate;
      }
      throw new Error(`no free slug for ${base}`);
    },
    async release(slug: string, tenantId: string): Promise<void> {
      await model.deleteOne({ _id: slug, tenant_id: tenantId });
    },
  };
}
export type ProfileSlugStore = ReturnType<typeof profileSlugStore>;
