import type { Connection } from 'mongoose';
import { lockedAggregate, modelOf, storeSchema } from '@ledgerline/platform';

/** A login (or an API token): what a refresh token renews and what logout/revocation ends. */
export interface Session {
  _id: string;
  kind: 'password' | 'api_token';
  user_id: string;
  tenant_id: string;
  /** SHA-256 of the current refresh secret; earlier ones are kept to detect reuse. */
  refresh_hash: string | null;
  previous_hashes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const sessionSchema = storeSchema<Session>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    user_id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    refresh_hash: { type: String, default: null },
    previous_hashes: { type: [String], default: [] },
    expires_at: { type: Date, required: true },
    revoked_at: { type: Date, default: null },
    revoked_reason: { type: String, default: null },
  },
  { collection: 'sessions' },
);
sessionSchema.index({ user_id: 1, tenant_id: 1 });

/** Sessions; an existing session changes only through its aggregate. */
export function sessionStore(connection: Connection) {
  const model = modelOf<Session>(connection, 'Session', sessionSchema);
  return {
    aggregate: lockedAggregate({ name: 'session', label: 'Session', model, tenantScoped: false }),
    async insert(session: Omit<Session, 'created_at' | 'updated_at'>): Promise<void> {
      await model.create(session);
    },
    async findById(id: string): Promise<Session | null> {
      return model.findById(id).lean<Session>();
    },
    async active(userId: string, tenantId?: string): Promise<Session[]> {
      return model
        .find({ user_id: userId, revoked_at: null, ...(tenantId && { tenant_id: tenantId }) })
        .lean<Session[]>();
    },
  };
}
export type SessionStore = ReturnType<typeof sessionStore>;
