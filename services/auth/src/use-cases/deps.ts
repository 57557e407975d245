import type {
  AggregateLocks,
  AggregateWriter,
  CallerIdentity,
  PlanLimits,
  PublishSoon,
  RequestCaller,
} from '@ledgerline/platform';
import type { ApiTokenStore } from '../store/api-tokens';
import type { ProfileSlugStore } from '../store/profile-slugs';
import type { SessionStore } from '../store/sessions';
import type { LogoStore } from '../store/logos';
import type { SettingsStore } from '../store/settings';
import type { SigningKeyStore } from '../store/signing-keys';
import type { UserStore } from '../store/users';

export interface AuthDeps {
  users: UserStore;
  sessions: SessionStore;
  settings: SettingsStore;
  /** Tenants' logos, apart from the settings document (their bytes are read only to render). */
  logos: LogoStore;
  slugs: ProfileSlugStore;
  apiTokens: ApiTokenStore;
  keys: SigningKeyStore;
  /** Every change of an existing user, session or settings goes through it. */
  aggregates: AggregateWriter;
  /** Guards a tenant's team as a whole (invitations against the `staff` limit, the last owner). */
  locks: AggregateLocks;
  /** The tenant's plan limits (seed 003): `staff` caps the team. */
  limits: Pick<PlanLimits, 'withinLimit'>;
  /** Marks sessions (or API tokens) revoked where every gateway looks, before their tokens expire. */
  revokeInGateways: (sessionIds: string[]) => Promise<void>;
  /** Wakes the outbox relay after an insert that carries events. */
  publishSoon: PublishSoon;
  issuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  passwordMinLength: number;
}

/** Who is calling, from their verified token. */
export type Caller = CallerIdentity &
  Pick<RequestCaller, 'sessionId' | 'role' | 'platformAdmin' | 'permissions'>;
