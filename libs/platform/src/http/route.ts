import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import {
  AppError,
  ok,
  pageOf,
  routeList,
  toListQuery,
  type ListParams,
  type ListQuery,
  type PathParamNames,
  type RouteGroup,
  type RouteSpec,
} from '@ledgerline/contracts';
import { requestCaller, requirePermission, requirePlatformAdmin, type RequestCaller } from './auth';
import { IDEMPOTENCY_HEADER } from './idempotency';
import { parseBody, parseQuery } from './parse';

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a bound route's handler is given: everything already parsed and checked. */
export interface RouteInput<S extends RouteSpec> {
  body: Parsed<S['body']>;
  query: Parsed<S['query']>;
  params: Record<PathParamNames<S['path']>, string>;
  /** The verified caller; public routes have none. */
  caller: S['public'] extends true ? undefined : RequestCaller;
  /** The request's Idempotency-Key header, trimmed; undefined when absent or blank. */
  idempotencyKey: string | undefined;
  req: Request;
  /** For headers only (Cache-Control, Location); the binding writes the status and the body. */
  res: Response;
}

/**
 * The success answer: `data` in the envelope, the raw document for a `raw` spec, or the file's
 * bytes for a `produces` spec.
 */
export interface RouteAnswer<S extends RouteSpec> {
  data: z.input<S['response']>;
  message?: string;
  /** Top-level fields the spec lists next to `data`. */
  extra?: { [K in keyof S['extra']]: unknown };
}

export type RouteHandler<S extends RouteSpec> = (
  input: RouteInput<S>,
) => Promise<S['status'] extends 204 ? void : RouteAnswer<S>>;

/**
 * Every spec bound in this process with how often: a test builds every service's app and checks
 * that each public route is bound exactly once (libs/contracts' specs are the routers).
 */
const bindings = new Map<RouteSpec, number>();

export function routeBindingCounts(): ReadonlyMap<RouteSpec, number> {
  return bindings;
}

/**
 * A `rawBody` route's guards: 415 for another media type, then the bytes read (413 past the
 * spec's maximum, before the rest is read).
 */
function rawBodyGuards(raw: NonNullable<RouteSpec['rawBody']>): RequestHandler[] {
  const mediaType: RequestHandler = (req, _res, next) => {
    const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!raw.types.includes(type)) {
      throw new AppError(
        'unsupported_media_type',
        `The body must be one of: ${raw.types.join(', ')}`,
      );
    }
    next();
  };
  return [mediaType, express.raw({ type: () => true, limit: raw.maxBytes })];
}

/** The request body, or `{}` for a spec whose body may be left out (all its fields default). */
function bodyOf(spec: RouteSpec, schema: z.ZodType, req: Request): unknown {
  const { body } = req;
  if (spec.rawBody) {
    // no body at all: body-parser leaves `{}`
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw AppError.validation('The request body is empty', [{ message: 'send the file bytes' }]);
    }
    return body;
  }
  const empty =
    body === undefined ||
    (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
  return parseBody(schema, spec.bodyOptional && empty ? { body: {} } : req);
}

/** `/api/bills/invoices/{id}` → `/api/bills/invoices/:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** The express paths of a service's routes that take an Idempotency-Key (`idempotent` specs). */
export function idempotentPaths(...groups: RouteGroup[]): string[] {
  return groups
    .flatMap((group) => routeList(group))
    .filter((spec) => spec.idempotent)
    .map((spec) => expressPath(spec.path));
}

/**
 * Binds a route spec to its use case: checks the permission, parses the body, query and path with
 * the spec's own schemas (422 naming each field), runs the handler and answers with the spec's
 * one status in the envelope. The router cannot answer a success status its spec does not list.
 */
export function bindRoute<const S extends RouteSpec>(
  router: Router,
  spec: S,
  handler: RouteHandler<S>,
): void {
  const guards: RequestHandler[] = [];
  if (spec.platformAdmin) guards.push(requirePlatformAdmin);
  if (spec.permission) guards.push(requirePermission(spec.permission));
  if (spec.rawBody) guards.push(...rawBodyGuards(spec.rawBody));
  const status = spec.status ?? 200;
  const answer: RequestHandler = async (req, res) => {
    const input = {
      body: spec.body ? bodyOf(spec, spec.body, req) : undefined,
      query: spec.query ? parseQuery(spec.query, req) : undefined,
      params: req.params,
      caller: spec.public ? undefined : requestCaller(req),
      idempotencyKey: req.header(IDEMPOTENCY_HEADER)?.trim() || undefined,
      req,
      res,
    } as RouteInput<S>;
    const result = (await handler(input)) as RouteAnswer<S> | undefined;
    if (status === 204 || !result) {
      res.status(204).end();
      return;
    }
    if (spec.produces) {
      // a file: its bytes as they are (headers such as Content-Disposition set by the handler)
      const bytes = result.data as Uint8Array;
      res.status(status).type(spec.produces);
      res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return;
    }
    if (spec.raw) {
      res.status(status).json(result.data);
      return;
    }
    res.status(status).json({ ...ok(result.data, result.message), ...result.extra });
  };
  router[spec.method](expressPath(spec.path), ...guards, answer);
  bindings.set(spec, (bindings.get(spec) ?? 0) + 1);
}

/** The six specs `crudRoutes` (libs/contracts) makes for one resource. */
export interface CrudRouteSpecs {
  list: RouteSpec & { query: z.ZodObject };
  create: RouteSpec & { body: z.ZodType; path: string };
  get: RouteSpec & { path: `${string}/{id}` };
  patch: RouteSpec & { body: z.ZodType; path: `${string}/{id}` };
  replace: RouteSpec & { body: z.ZodType; path: `${string}/{id}` };
  remove: RouteSpec & { path: `${string}/{id}` };
}

/** One resource's use cases, as the six routes call them. */
export interface CrudUseCases<S extends CrudRouteSpecs, View extends { id: string }> {
  /** "Customer" in "Customer created". */
  noun: string;
  list(caller: RequestCaller, query: ListQuery): Promise<{ results: View[]; count: number }>;
  create(caller: RequestCaller, body: z.output<S['create']['body']>): Promise<View>;
  get(caller: RequestCaller, id: string): Promise<View>;
  update(
    caller: RequestCaller,
    id: string,
    body: z.output<S['patch']['body']> | z.output<S['replace']['body']>,
    replace: boolean,
  ): Promise<View>;
  remove(caller: RequestCaller, id: string): Promise<void>;
}

/** Binds list, create (with its Location), read, PATCH, PUT and DELETE of one resource. */
export function bindCrudRoutes<S extends CrudRouteSpecs, View extends { id: string }>(
  router: Router,
  specs: S,
  uc: CrudUseCases<S, View>,
): void {
  const bind = bindRoute as unknown as (
    router: Router,
    spec: RouteSpec,
    handler: (input: RouteInput<RouteSpec> & { caller: RequestCaller }) => Promise<unknown>,
  ) => void;
  bind(router, specs.list, async ({ caller, query }) => {
    const q = toListQuery(query as ListParams);
    return { data: pageOf(q, await uc.list(caller, q)) };
  });
  bind(router, specs.create, async ({ caller, body, res }) => {
    const created = await uc.create(caller, body as z.output<S['create']['body']>);
    res.location(`${specs.create.path}/${created.id}/`);
    return { data: created, message: `${uc.noun} created` };
  });
  bind(router, specs.get, async ({ caller, req }) => ({
    data: await uc.get(caller, String(req.params.id)),
  }));
  for (const [spec, replace] of [
    [specs.patch, false],
    [specs.replace, true],
  ] as const) {
    bind(router, spec, async ({ caller, body, req }) => ({
      data: await uc.update(caller, String(req.params.id), body as never, replace),
      message: `${uc.noun} updated`,
    }));
  }
  bind(router, specs.remove, async ({ caller, req }) => {
    const id = String(req.params.id);
    await uc.remove(caller, id);
    return { data: { id, deleted: true }, message: `${uc.noun} deleted` };
  });
}

/**
 * The request context every use case takes a part of: who calls (user, tenant, role, permissions)
 * and under which request and correlation ids. Use cases name the part they need, so a sweep or a
 * consumer can build one without a request.
 */
export type CallerIdentity = Pick<RequestCaller, 'tenantId' | 'userId' | 'correlationId'>;
