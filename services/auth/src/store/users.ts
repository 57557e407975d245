import { Schema, type Connection, type Model } from 'mongoose';
import type { EventEnvelope, Role } from '@ledgerline/contracts';
import { outboxOnInsert, outboxSchemaFields, type OutboxFields } from '@ledgerline/platform';

export interface Membership {
  tenant_id: string;
  tenant_name: string;
  tenant_slug: string;
  role: Role;
}

export interface User {
  _id: string;
  username: string;
  email: string;
  full_name: string;
  password_hash: string;
  platform_admin: boolean;
  memberships: Membership[];
  created_at: Date;
  updated_at: Date;
}

type UserDoc = User & OutboxFields;

const membershipSchema = new Schema<Membership>(
  { tenant_id: String, tenant_name: String, tenant_slug: String, role: String },
  { _id: false },
);

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    email: { type: String, required: true },
    full_name: { type: String, required: true },
    password_hash: { type: String, required: true },
    platform_admin: { type: Boolean, default: false },
    memberships: { type: [membershipSchema], default: [] },
    ...outboxSchemaFields,
  },
  {
    collection: 'users',
    versionKey: false,
    timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  },
);
// usernames and emails are global: one person, one login, any number of tenants
userSchema.index({ username: 1 }, { unique: true });
userSchema.index({ email: 1 }, { unique: true });

export function userStore(connection: Connection) {
  const model: Model<UserDoc> = connection.model<UserDoc>('User', userSchema);
  const strip = { _outbox: 0, _outbox_pending: 0 };
  return {
    model,
    async insert(
      user: Omit<User, 'created_at' | 'updated_at'>,
      events: EventEnvelope[],
    ): Promise<User> {
      await model.create({ ...user, ...outboxOnInsert(events) });
      return (await model.findById(user._id, strip).lean<User>()) as User;
    },
    async findByLogin(login: string): Promise<User | null> {
      const key = login.trim();
      return model
        .findOne(key.includes('@') ? { email: key.toLowerCase() } : { username: key }, strip)
        .lean<User>();
    },
  };
}
export type UserStore = ReturnType<typeof userStore>;
