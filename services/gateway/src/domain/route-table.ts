/**
 * Which service answers which public path: BRIEF.md's endpoint map. Sub-resources owned by
 * another service come before the prefix that would otherwise catch them.
 */
export const UPSTREAMS = [
  'auth',
  'tenants',
  'customers',
  'billing',
  'payments',
  'webhooks',
] as const;
export type Upstream = (typeof UPSTREAMS)[number];

interface RouteRule {
  match: RegExp;
  upstream: Upstream;
}

/** A prefix matches itself and anything below it, never a longer sibling ("/api/bills" not "/api/billsx"). */
function prefix(path: string, upstream: Upstream): RouteRule {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { match: new RegExp(`^${escaped}(?:/.*)?$`), upstream };
}

const RULES: RouteRule[] = [
  {
    match:
      /^\/api\/customers\/customers\/[^/]+\/(?:invoices|bill_history|last_bill|previous_bill)\/?$/,
    upstream: 'billing',
  },
  {
    match: /^\/api\/customers\/customers\/[^/]+\/(?:payments|payment_history)\/?$/,
    upstream: 'payments',
  },
  prefix('/api/customers', 'customers'),
  prefix('/api/packages', 'customers'),
  prefix('/api/utility', 'customers'),
  prefix('/api/bills', 'billing'),
  prefix('/api/cart', 'billing'),
  prefix('/api/billing', 'billing'),
  prefix('/api/metrics', 'billing'),
  prefix('/api/payments', 'payments'),
  prefix('/api/saas', 'tenants'),
  prefix('/api/profile', 'tenants'),
  prefix('/api/usage', 'tenants'),
  prefix('/api/webhooks', 'webhooks'),
  prefix('/api/auth', 'auth'),
  prefix('/api/users', 'auth'),
  prefix('/api/accounts', 'auth'),
  { match: /^\/api\/?$/, upstream: 'auth' },
  prefix('/v1/billing/payments', 'payments'),
  prefix('/v1/billing/payment-methods', 'payments'),
  prefix('/v1/billing', 'billing'),
  prefix('/v1/account/usage', 'billing'),
  prefix('/v1/account/settings', 'auth'),
  prefix('/v1/account/logo', 'auth'),
  prefix('/v1/account/team', 'auth'),
  prefix('/.well-known/jwks.json', 'auth'),
];
/**
 * Requests that need no token: discovery, registration, login, token refresh, accepting an
 * invitation and the keys to verify tokens. `credential` marks the ones that carry a password or
 * a secret, which get the stricter brute-force limits.
 */
const PUBLIC: { method: string; match: RegExp; credential: boolean }[] = [
  { method: 'GET', match: /^\/api\/?$/, credential: false },
  { method: 'POST', match: /^\/api\/auth\/register\/?$/, credential: true },
  { method: 'POST', match: /^\/api\/auth\/?$/, credential: true },
  { method: 'POST', match: /^\/api\/auth\/login\/?$/, credential: true },
  { method: 'POST', match: /^\/api\/auth\/refresh\/?$/, credential: true },
  { method: 'POST', match: /^\/api\/auth\/invitations\/accept\/?$/, credential: true },
  { method: 'GET', match: /^\/api\/auth\/jwks\/?$/, credential: false },
  { method: 'GET', match: /^\/\.well-known\/jwks\.json$/, credential: false },
];

export interface ResolvedRoute {
  upstream: Upstream;
  isPublic: boolean;
  /** A login-like request: rate limited per IP and per account name, strictly. */
  credential: boolean;
}

export function resolveRoute(method: string, path: string): ResolvedRoute | null {
  const rule = RULES.find((r) => r.match.test(path));
  if (!rule) return null;
  const verb = method === 'HEAD' ? 'GET' : method;
  const publicRule = PUBLIC.find((p) => p.method === verb && p.match.test(path));
  return {
    upstream: rule.upstream,
    isPublic: publicRule !== undefined,
    credential: publicRule?.credential ?? false,
  };
}
