import { z } from 'zod';
import type { Permission } from './access';

/**
 * One endpoint of the public API: the spec the service's router binds (it parses the body, query
 * and path with these schemas, checks the permission and answers with `status`) and the OpenAPI
 * document is generated from. A route exists once, here; see libs/platform `bindRoute`.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `{name}` for a path parameter. */
  path: string;
  /**
   * The operation's stable name in the OpenAPI document, and so the method name SDK generators
   * give it: `resource.action` in camelCase (`invoices.autoGenerate`, `customers.list`), unique
   * across the API. The resource part is the operation's tag (OPERATION_TAGS describes each). Never
   * renamed once published: clients are generated from it.
   */
  operationId: `${string}.${string}`;
  /** The area of the API the route belongs to (a group of resource tags in the document). */
  tag: string;
  summary: string;
  /** Public routes need no bearer token. */
  public?: boolean;
  /** The permission the caller's role must grant (403 otherwise). */
  permission?: Permission;
  /** Operator routes (seed 003's /api/saas/*): platform administrators only. */
  platformAdmin?: boolean;
  body?: z.ZodType;
  /** A request without a body is parsed as `{}` (the body's fields all have defaults). */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  /** The one success status the route answers (default 200). */
  status?: 200 | 201 | 202 | 204;
  response: z.ZodType;
  /** Top-level fields next to `data` (seed 001 reads the login token at `.token`). */
  extra?: Record<string, z.ZodType>;
  /** The answer is `response` itself, not enveloped (the JWKS document). */
  raw?: boolean;
  /**
   * The success answer is a file of this media type (its bytes, not the envelope: an invoice's
   * PDF); `response` is then `binaryResponse`. Errors still answer the JSON envelope.
   */
  produces?: 'application/pdf';
  /**
   * The body is raw bytes of one of `types` (a logo image), at most `maxBytes`: another type is a
   * 415, a larger body a 413, before the handler runs; `body` is then `binaryBody`.
   */
  rawBody?: { types: readonly string[]; maxBytes: number };
  /**
   * A POST that moves money or credits: it takes an `Idempotency-Key` header, and a repeat with the
   * same key and body is answered the first answer (24 h). The service mounts libs/platform's
   * idempotency middleware on exactly these routes; the document declares the header.
   */
  idempotent?: boolean;
}

/** The bytes of a `produces` answer or a `rawBody` request (no JSON schema: a file). */
const bytes = () => z.custom<Uint8Array<ArrayBufferLike>>((v) => v instanceof Uint8Array);
export const binaryResponse = bytes();
export const binaryBody = bytes();

/** Keeps the literal path and schemas, so the binding can type params, body and query. */
export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

/**
 * One update accepted under both PUT and PATCH with the same partial body (seed 003's SaaS
 * resources): the two specs, alike but for the method; `resource.replace` and `resource.update`.
 */
export function putAndPatch<
  const R extends string,
  const S extends Omit<RouteSpec, 'method' | 'operationId'>,
>(resource: R, spec: S) {
  return {
    replace: defineRoute({ ...spec, method: 'put' as const, operationId: `${resource}.replace` }),
    update: defineRoute({ ...spec, method: 'patch' as const, operationId: `${resource}.update` }),
  };
}

/** `'/a/{id}/b/{sub}'` → `'id' | 'sub'`. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;

/** A service's specs as one list, in declaration order (groups such as crudRoutes flattened). */
export interface RouteGroup {
  [name: string]: RouteSpec | RouteGroup;
}

export function routeList(group: RouteGroup): RouteSpec[] {
  return Object.values(group).flatMap((entry) =>
    'method' in entry && typeof entry.method === 'string'
      ? [entry as RouteSpec]
      : routeList(entry as RouteGroup),
  );
}
