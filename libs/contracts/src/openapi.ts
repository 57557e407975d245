export { API_VERSION, AUTH_ROUTES } from './routes/auth';
export { TENANT_ROUTES } from './routes/tenants';
export { PROVIDER_ROUTES } from './routes/providers';
export { USAGE_ROUTES } from './routes/usage';
export { WEBHOOK_ROUTES } from './routes/webhooks';
export { LEDGER_ROUTES } from './routes/ledger';
export { CREDIT_ROUTES } from './routes/credits';
export { BILLING_RUN_ROUTES, CUSTOMER_BILL_ROUTES } from './routes/bills';
export { INVOICE_ROUTES } from './routes/invoices';
export { CREDIT_NOTE_ROUTES } from './routes/credit-notes';
export { DUNNING_ROUTES } from './routes/dunning';
export { CUSTOMER_ROUTES, PACKAGE_ROUTES, UTILITY_ROUTES } from './routes/customers';
export {
  CUSTOMER_PAYMENT_ROUTES,
  PAYMENT_ROUTES,
  PLATFORM_PAYMENT_ROUTES,
} from './routes/payments';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorEnvelopeSchema, successEnvelopeSchema } from './envelope';
import { ERROR_KINDS } from './errors';
import { routeList, type RouteSpec } from './route';
import { API_VERSION, AUTH_ROUTES } from './routes/auth';
import { BILLING_RUN_ROUTES, CUSTOMER_BILL_ROUTES } from './routes/bills';
import { INVOICE_ROUTES } from './routes/invoices';
import { CREDIT_NOTE_ROUTES } from './routes/credit-notes';
import { DUNNING_ROUTES } from './routes/dunning';
import { LEDGER_ROUTES } from './routes/ledger';
import {
  CUSTOMER_PAYMENT_ROUTES,
  PAYMENT_ROUTES,
  PLATFORM_PAYMENT_ROUTES,
} from './routes/payments';
import { CUSTOMER_ROUTES, PACKAGE_ROUTES, UTILITY_ROUTES } from './routes/customers';
import { TENANT_ROUTES } from './routes/tenants';
import { PROVIDER_ROUTES } from './routes/providers';
import { USAGE_ROUTES } from './routes/usage';
import { CREDIT_ROUTES } from './routes/credits';
import { WEBHOOK_ROUTES } from './routes/webhooks';

/** Every public route: core (auth) plus each domain's own list. */
export const PUBLIC_ROUTES: RouteSpec[] = [
  ...Object.values(AUTH_ROUTES),
  ...Object.values(TENANT_ROUTES),
  ...routeList(PROVIDER_ROUTES),
  ...routeList(USAGE_ROUTES),
  ...routeList(CUSTOMER_ROUTES),
  ...routeList(PACKAGE_ROUTES),
  ...routeList(UTILITY_ROUTES),
  ...routeList(INVOICE_ROUTES),
  ...routeList(CREDIT_NOTE_ROUTES),
  ...routeList(DUNNING_ROUTES),
  ...routeList(BILLING_RUN_ROUTES),
  ...routeList(CUSTOMER_BILL_ROUTES),
  ...routeList(LEDGER_ROUTES),
  ...routeList(CUSTOMER_PAYMENT_ROUTES),
  ...routeList(PAYMENT_ROUTES),
  ...routeList(PLATFORM_PAYMENT_ROUTES),
  ...routeList(CREDIT_ROUTES),
  ...routeList(WEBHOOK_ROUTES),
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

/** What a route taking a raw file (`rawBody`) answers besides. */
const RAW_BODY_STATUSES: Record<number, string> = {
  413: 'The file is larger than the route accepts',
  415: 'The file is not of a media type the route accepts',
};

/** What a money-moving POST (`idempotent` spec) accepts besides its body. */
const IDEMPOTENCY_HEADER = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .describe(
      'Makes the request safe to retry: a repeat with the same key and body is answered the first answer (24 h); the same key with another body is a 422, one still running a 409',
    ),
});

/** A file's bytes, as OpenAPI 3.1 describes a binary body or answer. */
const BINARY = { type: 'string', contentMediaType: 'application/octet-stream' } as const;

/** A JSON body, or raw bytes of each media type a `rawBody` route accepts. */
function requestContent(r: RouteSpec, body: z.ZodType) {
  if (!r.rawBody) return { 'application/json': { schema: body } };
  return Object.fromEntries(
    r.rawBody.types.map((type) => [
      type,
      {
        // the size limit is said in words, not as maxLength: a body above it is answered 413
        // (HTTP's own refusal), which a schema-driven client would not expect of maxLength
        schema: {
          ...BINARY,
          contentMediaType: type,
          description: `at most ${r.rawBody!.maxBytes} bytes (413 above)`,
        },
      },
    ]),
  );
}

/** Every `{name}` of a path is a required string parameter. */
function pathParams(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  return names.length > 0
    ? z.object(Object.fromEntries(names.map((n) => [n, z.string()])))
    : undefined;
}

/**
 * A query parameter sent empty (`?status=`) counts as absent: the services drop it before the
 * spec's schema parses the rest (libs/platform parseQuery), so the document says '' is accepted.
 */
function documentedQuery(query: z.ZodObject): z.ZodObject {
  const shape = Object.entries(query.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const orEmpty = field.or(z.literal('')).optional();
    return [name, field.description ? orEmpty.describe(field.description) : orEmpty] as const;
  });
  return z.object(Object.fromEntries(shape));
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
      Object.entries({ ...ERROR_STATUSES, ...(r.rawBody && RAW_BODY_STATUSES) })
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
        ...(r.idempotent && { headers: IDEMPOTENCY_HEADER }),
        ...(pathParams(r.path) && { params: pathParams(r.path) }),
        ...(r.query && { query: documentedQuery(r.query) }),
        ...(r.body && { body: { required: true, content: requestContent(r, r.body) } }),
      },
      responses: {
        [r.status ?? 200]:
          r.status === 204
            ? { description: 'Done; no content' }
            : r.produces
              ? { description: 'The file', content: { [r.produces]: { schema: BINARY } } }
              : {
                  description: 'Success',
                  content: {
                    'application/json': {
                      schema: r.raw ? r.response : success,
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
