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
import { namedComponents } from './component';
import { successEnvelopeSchema } from './envelope';
import { LIST_PARAMS } from './list-query';
import { OPERATION_TAGS } from './openapi-tags';
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

/**
 * The error answers every operation may give, each a response component named once (the error
 * envelope as its schema) and referred to by `$ref` from every operation.
 */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'Malformed request' },
  401: { name: 'Unauthorized', description: 'Missing, invalid, expired or revoked credentials' },
  402: { name: 'InsufficientCredits', description: 'Not enough prepaid credits for the operation' },
  403: { name: 'Forbidden', description: 'Not permitted (role, scope or plan limit)' },
  404: { name: 'NotFound', description: 'Not found (including objects of other tenants)' },
  405: {
    name: 'MethodNotAllowed',
    description: 'Method not allowed on this path (see the Allow header)',
  },
  409: { name: 'Conflict', description: 'Conflict with the current state' },
  422: { name: 'ValidationError', description: 'Validation error; details name each field' },
  429: { name: 'RateLimited', description: 'Rate limited; see Retry-After' },
  503: { name: 'ServiceUnavailable', description: 'A dependency is unavailable; retry' },
};

/** What a route taking a raw file (`rawBody`) answers besides. */
const RAW_BODY_RESPONSES: Record<number, { name: string; description: string }> = {
  413: { name: 'PayloadTooLarge', description: 'The file is larger than the route accepts' },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The file is not of a media type the route accepts',
  },
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
function orEmpty(field: z.ZodType): z.ZodType {
  // an optional's inner schema has no description: the parameter says it once, not again inside
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
  const documented = inner.or(z.literal('')).optional();
  return field.description ? documented.describe(field.description) : documented;
}

/**
 * The list parameters every list route shares (page, per_page, search...), each a parameter
 * component of the document: a list operation refers to them instead of repeating them.
 */
function listParameterComponents(registry: OpenAPIRegistry): Map<z.ZodType, z.ZodType> {
  return new Map(
    Object.entries(LIST_PARAMS).map(([name, field]) => [
      field as z.ZodType,
      registry.registerParameter(
        // a parameter component names its schema too: `ListPerPage` for per_page
        `List${name.replace(/(^|_)(\w)/g, (_m, _sep, c: string) => c.toUpperCase())}`,
        orEmpty(field).openapi({ param: { name, in: 'query' } }),
      ) as z.ZodType,
    ]),
  );
}

function documentedQuery(query: z.ZodObject, shared: Map<z.ZodType, z.ZodType>): z.ZodObject {
  const shape = Object.entries(query.shape as Record<string, z.ZodType>).map(
    ([name, field]) => [name, shared.get(field) ?? orEmpty(field)] as const,
  );
  return z.object(Object.fromEntries(shape));
}

/** `invoices` of `invoices.autoGenerate`: the operation's tag. */
export function operationResource(r: Pick<RouteSpec, 'operationId'>): string {
  return r.operationId.slice(0, r.operationId.indexOf('.'));
}

/** Operation ids used twice, and resources without a tag description: the document refuses both. */
function checkOperations(routes: RouteSpec[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    if (seen.has(r.operationId)) throw new Error(`operationId ${r.operationId} is used twice`);
    seen.add(r.operationId);
    if (!OPERATION_TAGS[operationResource(r)])
      throw new Error(`${r.operationId}: no description of its tag in OPERATION_TAGS`);
  }
}

/** The tags in first-use order, and Redoc's groups of them by the routes' area (`tag`). */
function documentTags(routes: RouteSpec[]) {
  const groups = new Map<string, Set<string>>();
  const grouped = new Set<string>();
  for (const r of routes) {
    const resource = operationResource(r);
    if (grouped.has(resource)) continue;
    grouped.add(resource);
    groups.set(r.tag, (groups.get(r.tag) ?? new Set()).add(resource));
  }
  return {
    tags: [...grouped].map((name) => ({ name, description: OPERATION_TAGS[name] })),
    'x-tagGroups': [...groups].map(([name, tags]) => ({ name, tags: [...tags] })),
  };
}

export function buildOpenApiDocument(
  serverUrl = '/',
): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  checkOperations(PUBLIC_ROUTES);
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from POST /api/auth, or an API token (llt_...)',
  });
  // every named schema first, the error envelope too (only response components refer to it)
  for (const [name, schema] of namedComponents()) registry.register(name, schema);
  const errorRefs = Object.fromEntries(
    Object.entries({ ...ERROR_RESPONSES, ...RAW_BODY_RESPONSES }).map(
      ([code, { name, description }]) => [
        code,
        registry.registerComponent('responses', name, {
          description,
          ...(code === '429' && {
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before retrying',
                schema: { type: 'integer' },
              },
            },
          }),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        }).ref,
      ],
    ),
  );
  const listParameters = listParameterComponents(registry);
  for (const r of PUBLIC_ROUTES) {
    const success = successEnvelopeSchema(r.response).extend(r.extra ?? {});
    const errors = Object.fromEntries(
      Object.keys({ ...ERROR_RESPONSES, ...(r.rawBody && RAW_BODY_RESPONSES) })
        .filter((code) => !(r.public && code === '403'))
        .map((code) => [code, errorRefs[code]!]),
    );
    registry.registerPath({
      method: r.method,
      path: r.path,
      operationId: r.operationId,
      tags: [operationResource(r)],
      summary: r.summary,
      security: r.public ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(r.idempotent && { headers: IDEMPOTENCY_HEADER }),
        ...(pathParams(r.path) && { params: pathParams(r.path) }),
        ...(r.query && { query: documentedQuery(r.query, listParameters) }),
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
      // the platform is not open source: its API document names no public licence
      license: { name: 'Proprietary', identifier: 'LicenseRef-Ledgerline-Proprietary' },
    },
    servers: [
      {
        url: serverUrl,
        description: 'The gateway that serves this document (its one public URL)',
      },
    ],
    ...documentTags(PUBLIC_ROUTES),
  });
}
