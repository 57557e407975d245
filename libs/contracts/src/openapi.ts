import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorEnvelopeSchema, pageSchema, successEnvelopeSchema } from './envelope';
import { ERROR_KINDS } from './errors';
import {
  acceptInvitationRequest,
  connectedProfileRequest,
  profileView,
  shadowProfileRequest,
  accountSettingsView,
  updateAccountSettingsRequest,
  apiTokenView,
  createApiTokenRequest,
  invitationCreatedView,
  inviteMemberRequest,
  loginWithTenantRequest,
  meView,
  passwordChangeRequest,
  refreshRequest,
  registerRequest,
  registerResponse,
  switchTenantRequest,
  teamMemberView,
  tokenResponse,
  userView,
} from './api/auth';
import { type RouteSpec } from './openapi-types';
import { BILLING_ROUTES } from './openapi-billing';
import { LEDGER_ROUTES } from './openapi-ledger';
import { PAYMENT_ROUTES } from './openapi-payments';
import { CUSTOMER_ROUTES } from './openapi-customers';
import { TENANT_ROUTES } from './openapi-tenants';
import { CREDIT_ROUTES } from './openapi-credits';

export const API_VERSION = '1.0.0';

const CORE_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api',
    tag: 'auth',
    summary: 'API name and version',
    public: true,
    response: z.object({ name: z.string(), version: z.string() }),
  },
  {
    method: 'post',
    path: '/api/auth/register',
    tag: 'auth',
    summary: 'Register a user with a personal or organization profile (tenant)',
    public: true,
    body: registerRequest,
    status: 201,
    response: registerResponse,
  },
  {
    method: 'post',
    path: '/api/auth',
    tag: 'auth',
    summary: 'Log in with username or email',
    public: true,
    body: loginWithTenantRequest,
    response: tokenResponse,
    extra: { token: z.string() },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Log in (alias of POST /api/auth)',
    public: true,
    body: loginWithTenantRequest,
    response: tokenResponse,
    extra: { token: z.string() },
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    tag: 'auth',
    summary: 'Rotate a refresh token (a reused one revokes its session)',
    public: true,
    body: refreshRequest,
    response: tokenResponse,
    extra: { token: z.string() },
  },
  {
    method: 'post',
    path: '/api/auth/invitations/accept',
    tag: 'auth',
    summary:
      'Accept a team invitation: a new invitee sets a password; an existing account gives its current password, then joins (wrong token or password: 422)',
    public: true,
    body: acceptInvitationRequest,
    response: userView,
  },
  {
    method: 'get',
    path: '/.well-known/jwks.json',
    tag: 'auth',
    summary: 'Public keys that verify access tokens (JWKS, not enveloped)',
    public: true,
    response: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  },
  {
    method: 'get',
    path: '/api/auth/me',
    tag: 'auth',
    summary: 'The caller, the active tenant and every tenant they belong to',
    response: meView,
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'End the current session',
    response: z.object({ logged_out: z.boolean() }),
  },
  {
    method: 'post',
    path: '/api/auth/password',
    tag: 'auth',
    summary: 'Change password (old password required; other sessions end)',
    body: passwordChangeRequest,
    response: z.object({ password_changed: z.boolean() }),
  },
  {
    method: 'post',
    path: '/api/auth/switch',
    tag: 'auth',
    summary: 'Switch the active tenant (new tokens)',
    body: switchTenantRequest,
    response: tokenResponse,
    extra: { token: z.string() },
  },
  {
    method: 'get',
    path: '/api/auth/api-tokens',
    tag: 'auth',
    summary: "The tenant's API tokens (secrets are never shown again)",
    response: pageSchema(apiTokenView),
  },
  {
    method: 'post',
    path: '/api/auth/api-tokens',
    tag: 'auth',
    summary: 'Create an API token; the secret is in the answer once',
    body: createApiTokenRequest,
    status: 201,
    response: apiTokenView.extend({ token: z.string() }),
  },
  {
    method: 'delete',
    path: '/api/auth/api-tokens/{id}',
    tag: 'auth',
    summary: 'Revoke an API token',
    response: z.object({ revoked: z.boolean() }),
  },
  {
    method: 'post',
    path: '/api/auth/keys/rotate',
    tag: 'auth',
    summary: 'Start signing with a new key (platform admin)',
    status: 201,
    response: z.object({ kid: z.string() }),
  },
  {
    method: 'post',
    path: '/api/auth/keys/retire',
    tag: 'auth',
    summary: 'Retire signing keys older than the token lifetime (platform admin)',
    response: z.object({ retired: z.number() }),
  },
  {
    method: 'post',
    path: '/api/users/{user}/profiles',
    tag: 'auth',
    summary: 'Seed 001: create an organization profile managed by the user (the caller)',
    body: connectedProfileRequest,
    status: 201,
    response: profileView,
  },
  {
    method: 'post',
    path: '/api/accounts/profiles',
    tag: 'auth',
    summary: 'Seed 001: create a shadow profile (an organization with no manager)',
    body: shadowProfileRequest,
    status: 201,
    response: profileView,
  },
  {
    method: 'get',
    path: '/v1/account/settings',
    tag: 'account',
    summary: "The active tenant's account settings (seed 000)",
    response: accountSettingsView,
  },
  {
    method: 'patch',
    path: '/v1/account/settings',
    tag: 'account',
    summary: 'Update account settings (any subset of fields)',
    body: updateAccountSettingsRequest,
    response: accountSettingsView,
  },
  {
    method: 'get',
    path: '/v1/account/team',
    tag: 'team',
    summary: "The tenant's team members and pending invitations (is_active false)",
    response: pageSchema(teamMemberView),
  },
  {
    method: 'post',
    path: '/v1/account/team',
    tag: 'team',
    summary:
      'Invite an e-mail: a pending invitation and its token, the same answer whether or not the e-mail has an account; nobody joins until the invitee accepts',
    body: inviteMemberRequest,
    status: 201,
    response: invitationCreatedView,
  },
  {
    method: 'delete',
    path: '/v1/account/team/{id}',
    tag: 'team',
    summary: 'Remove a member (their sessions end; not the last owner) or revoke an invitation',
    response: z.object({ removed: z.boolean() }),
  },
];

/** Every public route: core (auth) plus each domain's own list. */
export const PUBLIC_ROUTES: RouteSpec[] = [
  ...CORE_ROUTES,
  ...TENANT_ROUTES,
  ...CUSTOMER_ROUTES,
  ...BILLING_ROUTES,
  ...LEDGER_ROUTES,
  ...PAYMENT_ROUTES,
  ...CREDIT_ROUTES,
];

const ERROR_STATUSES: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing, invalid, expired or revoked credentials',
  402: 'Not enough prepaid credits for the operation',
  403: 'Not permitted (role, scope or plan limit)',
  404: 'Not found (including objects of other tenants)',
  405: 'Method not allowed on this path (see the Allow header)',
  409: 'Conflict with the current state',
  422: 'Validation error; details name each field',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency is unavailable; retry',
};

/** Every `{name}` of a path is a required string parameter. */
function pathParams(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  return names.length > 0
    ? z.object(Object.fromEntries(names.map((n) => [n, z.string()])))
    : undefined;
}

export function buildOpenApiDocument(
  serverUrl = '/',
): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from POST /api/auth, or an API token (llt_...)',
  });
  for (const r of PUBLIC_ROUTES) {
    const success = successEnvelopeSchema(r.response).extend(r.extra ?? {});
    const errors = Object.fromEntries(
      Object.entries(ERROR_STATUSES)
        .filter(([code]) => !(r.public && code === '403'))
        .map(([code, description]) => [
          code,
          { description, content: { 'application/json': { schema: errorEnvelopeSchema } } },
        ]),
    );
    registry.registerPath({
      method: r.method,
      path: r.path,
      tags: [r.tag],
      summary: r.summary,
      security: r.public ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(pathParams(r.path) && { params: pathParams(r.path) }),
        ...(r.query && { query: r.query }),
        ...(r.body && {
          body: { required: true, content: { 'application/json': { schema: r.body } } },
        }),
      },
      responses: {
        [r.status ?? 200]:
          r.status === 204
            ? { description: 'Done; no content' }
            : {
                description: 'Success',
                content: {
                  'application/json': {
                    schema: r.path === '/.well-known/jwks.json' ? r.response : success,
                  },
                },
              },
        ...errors,
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Ledgerline API',
      version: API_VERSION,
      description: `Multi-tenant billing platform. Error kinds: ${Object.keys(ERROR_KINDS).join(', ')}.`,
    },
    servers: [{ url: serverUrl }],
  });
}
