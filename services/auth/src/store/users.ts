import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, Role } from '@ledgerline/contracts';
import {
  defineAggregate,
  modelOf,
  outboxOnInsert,
  outboxSchemaFields,
  storeSchema,
  type OutboxFields,
} from '@ledgerline/platform';
import type { Invitation, TeamAccount } from '../domain/team';

export interface Membership {
  tenant_id: string;
  tenant_name: string;
  tenant_slug: string;
  role: Role;
  joined_at: Date;
}

export type { Invitation };

/** The account as stored: what the team rules read (TeamAccount), with full memberships. */
export interface User extends TeamAccount {
  /** Empty until an invited user accepts the invitation and sets a password. */
  password_hash: string;
  memberships: Membership[];
  /** Pending invitations, at most one per tenant. */
  invitations: Invitation[];
  updated_at: Date;
}

type UserDoc = User & OutboxFields;
type NewUser = Omit<User, 'created_at' | 'updated_at' | 'invitations'> & {
  invitations?: Invitation[];
};

const membershipSchema = new Schema<Membership>(
  { tenant_id: String, tenant_name: String, tenant_slug: String, role: String, joined_at: Date },
  { _id: false },
);

const invitationSchema = new Schema<Invitation>(
  {
    id: String,
    tenant_id: String,
    tenant_name: String,
    tenant_slug: String,
    role: String,
    token_hash: String,
    first_name: String,
    last_name: String,
    invited_at: Date,
    invited_by: String,
  },
  { _id: false },
);

const userSchema = storeSchema<UserDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    email: { type: String, required: true },
    full_name: { type: String, required: true },
    password_hash: { type: String, default: '' },
    invitation_hash: { type: String, default: null },
    platform_admin: { type: Boolean, default: false },
    memberships: { type: [membershipSchema], default: [] },
    invitations: { type: [invitationSchema], default: [] },
    ...outboxSchemaFields,
  },
  { collection: 'users' },
);
// usernames and emails are global: one person, one login, any number of tenants
userSchema.index({ username: 1 }, { unique: true });
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ 'memberships.tenant_id': 1 });
userSchema.index({ 'invitations.tenant_id': 1 });

// users stored before invitations existed have no such field; lean reads apply no defaults
const normalized = (user: User | null): User | null =>
  user && { ...user, invitations: user.invitations ?? [] };

/** Users; an existing user changes only through its aggregate (see the use cases). */
export function userStore(connection: Connection) {
  const model = modelOf<UserDoc>(connection, 'User', userSchema);
  const strip = { _outbox: 0, _outbox_pending: 0 };
  return {
    model,
    /** A user spans tenants (memberships, invitations), so it is not tenant-scoped. */
    aggregate: defineAggregate({
      name: 'user',
      label: 'User',
      model,
      versionField: null,
      tenantScoped: false,
      read: normalized,
    }),
    async insert(user: NewUser, events: EventEnvelope[]): Promise<User> {
      await model.create({ ...user, ...outboxOnInsert(events) });
      return normalized(await model.findById(user._id, strip).lean<User>()) as User;
    },
    async findById(id: string): Promise<User | null> {
      return normalized(await model.findById(id, strip).lean<User>());
    },
    async findByLogin(login: string): Promise<User | null> {
      const key = login.trim();
      return normalized(
        await model
          .findOne(key.includes('@') ? { email: key.toLowerCase() } : { username: key }, strip)
          .lean<User>(),
      );
    },
    async findByEmail(email: string): Promise<User | null> {
      return normalized(await model.findOne({ email: email.toLowerCase() }, strip).lean<User>());
    },
    async findPlatformAdmin(): Promise<User | null> {
      return normalized(await model.findOne({ platform_admin: true }, strip).lean<User>());
    },
    async members(tenantId: string): Promise<User[]> {
      const users = await model
        .find({ 'memberships.tenant_id': tenantId }, strip)
        .sort({ created_at: 1 })
        .lean<User[]>();
      return users.map((u) => normalized(u) as User);
    },
    /** Users with a pending invitation to the tenant (dotted equality: FerretDB-safe). */
    async invitees(tenantId: string): Promise<User[]> {
      const users = await model
        .find({ 'invitations.tenant_id': tenantId }, strip)
        .sort({ created_at: 1 })
        .lean<User[]>();
      return users.map((u) => normalized(u) as User);
    },
    /** Members plus pending invitees: what the team list shows and the `staff` limit counts. */
    async teamSize(tenantId: string): Promise<number> {
      return model.countDocuments({
        $or: [{ 'memberships.tenant_id': tenantId }, { 'invitations.tenant_id': tenantId }],
      });
    },
  };
}
export type UserStore = ReturnType<typeof userStore>;
