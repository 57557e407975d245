import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../access';
import { component } from '../component';

export const registerRequest = component(
  'Registration',
  z
    .object({
      username: z
        .string()
        .trim()
        .min(3)
        .max(150)
        .regex(/^[A-Za-z0-9_.@+-]+$/, 'may contain letters, digits and _ . @ + - only'),
      // the length policy is the auth service's (PASSWORD_MIN_LENGTH), not the schema's
      password: z.string().min(1).max(256),
      email: z
        .email()
        .max(254)
        .transform((e) => e.toLowerCase()),
      full_name: z.string().trim().min(1).max(200),
      type: z.enum(['personal', 'organization']).default('personal'),
      organization_name: z.string().trim().min(1).max(200).optional(),
    })
    .refine((r) => r.type !== 'organization' || r.organization_name, {
      path: ['organization_name'],
      message: 'is required when type is organization',
    }),
);
export type RegisterRequest = z.infer<typeof registerRequest>;

/** `username` may hold the username or the email; `email` is accepted as its own field too. */
export const loginRequest = z
  .object({
    username: z.string().trim().min(1).max(254).optional(),
    email: z.string().trim().min(1).max(254).optional(),
    password: z.string().min(1).max(256),
  })
  .refine((r) => r.username || r.email, {
    path: ['username'],
    message: 'username or email is required',
  });
export type LoginRequest = z.infer<typeof loginRequest>;

export const userView = component(
  'User',
  z.object({
    id: z.string(),
    username: z.string(),
    email: z.string(),
    full_name: z.string(),
    created_at: z.string(),
  }),
);

export const tokenResponse = component(
  'Tokens',
  z.object({
    token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    refresh_expires_in: z.number().int(),
    user: userView,
    tenant: z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string() }),
  }),
);

export const registerResponse = userView.extend({
  tenant: z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string() }),
});

export const refreshRequest = z.object({ refresh_token: z.string().min(10).max(512) });

export const passwordChangeRequest = z.object({
  old_password: z.string().min(1).max(256),
  new_password: z.string().min(1).max(256),
});

export const switchTenantRequest = z.object({ tenant_id: z.string().min(1).max(64) });

export const loginWithTenantRequest = loginRequest.and(
  z.object({ tenant_id: z.string().max(64).optional() }),
);

export const inviteMemberRequest = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  role: z.enum(ROLES).default('member'),
  first_name: z.string().trim().max(100).optional(),
  last_name: z.string().trim().max(100).optional(),
});
export type InviteMemberRequest = z.infer<typeof inviteMemberRequest>;

/** A member's new role in the tenant (an owner only by an owner; the last owner keeps theirs). */
export const changeMemberRoleRequest = z.object({ role: z.enum(ROLES) });
export type ChangeMemberRoleRequest = z.infer<typeof changeMemberRoleRequest>;

export const acceptInvitationRequest = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  invitation_token: z.string().min(20).max(200),
  password: z
    .string()
    .min(1)
    .max(256)
    .describe(
      'an account that already exists: its current password (proves it is theirs; not changed); a new invitee: the password to set',
    ),
  full_name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe("a new invitee's name; an existing account keeps its own"),
});
export type AcceptInvitationRequest = z.infer<typeof acceptInvitationRequest>;

export const createApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES).default('member'),
  /** Narrows the role; every permission listed must be one the creator holds. */
  permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).optional(),
});
export type CreateApiTokenRequest = z.infer<typeof createApiTokenRequest>;

export const tenantRefView = component(
  'TenantRef',
  z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    role: z.string(),
  }),
);

export const meView = component(
  'Me',
  userView.extend({
    tenant_id: z.string(),
    role: z.string(),
    platform_admin: z.boolean(),
    tenants: z.array(tenantRefView),
  }),
);

export const teamMemberView = component(
  'TeamMember',
  z.object({
    id: z
      .string()
      .describe('a member: their user id; a pending invitation: its invitation id (inv_...)'),
    email: z.string(),
    username: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    role: z.string().nullable(),
    is_active: z.boolean(),
    is_staff: z.boolean(),
    date_joined: z.string(),
  }),
);

/** The same for every e-mail, whether or not it already has an account. */
export const invitationCreatedView = component(
  'Invitation',
  z.object({
    member: teamMemberView,
    invitation_token: z
      .string()
      .describe('shown once; the invitee accepts with it at POST /api/auth/invitations/accept'),
  }),
);

export const apiTokenView = component(
  'ApiToken',
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.string(),
    permissions: z.array(z.string()),
    platform: z.boolean(),
    created_by: z.string(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  }),
);

/** Seed 000 account settings: the active tenant's billing profile. */
export const accountSettingsView = component(
  'AccountSettings',
  z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    billing_email: z.string().nullable(),
    billing_address_line1: z.string().nullable(),
    billing_address_line2: z.string().nullable(),
    billing_city: z.string().nullable(),
    billing_state: z.string().nullable(),
    billing_postal_code: z.string().nullable(),
    billing_country: z.string().nullable(),
    tax_id: z.string().nullable(),
    credit_balance: z.number(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

const settingText = (max: number) => z.string().trim().max(max).nullable().optional();

export const updateAccountSettingsRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  billing_email: z.email().max(254).nullable().optional(),
  billing_address_line1: settingText(200),
  billing_address_line2: settingText(200),
  billing_city: settingText(100),
  billing_state: settingText(100),
  billing_postal_code: settingText(20),
  billing_country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
    .nullable()
    .optional(),
  tax_id: settingText(50),
});
export type UpdateAccountSettingsRequest = z.infer<typeof updateAccountSettingsRequest>;

/** A profile slug: a DNS label, as tenants' subdomains are. */
const profileSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?!-)[a-z0-9-]{1,63}(?<!-)$/,
    'must be lowercase letters, digits and inner hyphens, at most 63',
  );

/** Seed 001 "Creates a connected profile": a new organization managed by the user. */
export const connectedProfileRequest = z.object({
  slug: profileSlug,
  full_name: z.string().trim().min(1).max(200),
});

/** Seed 001 "Creates a shadow profile": an organization with no manager. */
export const shadowProfileRequest = z.object({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  full_name: z.string().trim().min(1).max(200),
  slug: profileSlug.optional(),
});

export const profileView = component(
  'Profile',
  z.object({
    id: z.string(),
    slug: z.string(),
    full_name: z.string(),
    email: z.string().nullable(),
    type: z.enum(['personal', 'organization', 'shadow']),
    role: z.string().nullable(),
    created_at: z.string(),
  }),
);

/** The largest logo accepted (PUT /v1/account/logo): bytes and pixels per side. */
export const LOGO_LIMITS = { maxBytes: 256 * 1024, maxSide: 2000 } as const;
export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;

/** The tenant's logo as stored: what it is, not its bytes. */
export const logoView = component(
  'Logo',
  z.object({
    content_type: z.enum(LOGO_TYPES),
    width: z.number(),
    height: z.number(),
    bytes: z.number(),
    updated_at: z.string(),
  }),
);

/**
 * What auth answers other services about a tenant's account (its internal settings read): the
 * issuer block of a document. `logo` (base64) only when asked for (`?logo=1`).
 */
export interface TenantSettingsSnapshot {
  tenant_id: string;
  name: string;
  billing_email: string | null;
  billing_address_line1: string | null;
  billing_address_line2: string | null;
  billing_city: string | null;
  billing_state: string | null;
  billing_postal_code: string | null;
  billing_country: string | null;
  tax_id: string | null;
  logo: { content_type: (typeof LOGO_TYPES)[number]; base64: string } | null;
}
