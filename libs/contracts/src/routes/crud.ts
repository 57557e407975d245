import { z } from 'zod';
import type { Permission } from '../access';
import { pageSchema } from '../envelope';
import { defineRoute } from '../route';

const deleted = z.object({ id: z.string(), deleted: z.boolean() });

/**
 * List, create, read, PATCH, PUT and DELETE of one resource under `path`, each a route spec
 * documented with the schemas that validate it; their operationIds are `resource.list`,
 * `.create`, `.get`, `.update` (PATCH), `.replace` (PUT) and `.delete`.
 */
export function crudRoutes<
  const R extends string,
  const P extends string,
  Q extends z.ZodObject,
  C extends z.ZodType,
  U extends z.ZodType,
  V extends z.ZodType,
>(spec: {
  path: P;
  /** The operationIds' resource part (`customers`, `entitlementDetails`). */
  resource: R;
  tag: string;
  noun: string;
  read: Permission;
  write: Permission;
  query: Q;
  create: C;
  patch: U;
  view: V;
  listSummary?: string;
  deleteSummary?: string;
}) {
  const one = `${spec.path}/{id}` as const;
  const { tag, read, write, resource } = spec;
  return {
    list: defineRoute({
      operationId: `${resource}.list`,
      method: 'get',
      path: spec.path,
      tag,
      permission: read,
      summary: spec.listSummary ?? `List ${spec.noun}s`,
      query: spec.query,
      response: pageSchema(spec.view),
    }),
    create: defineRoute({
      operationId: `${resource}.create`,
      method: 'post',
      path: spec.path,
      tag,
      permission: write,
      summary: `Create a ${spec.noun}`,
      body: spec.create,
      status: 201,
      response: spec.view,
    }),
    get: defineRoute({
      operationId: `${resource}.get`,
      method: 'get',
      path: one,
      tag,
      permission: read,
      summary: `One ${spec.noun}`,
      response: spec.view,
    }),
    patch: defineRoute({
      operationId: `${resource}.update`,
      method: 'patch',
      path: one,
      tag,
      permission: write,
      summary: `Change some fields of a ${spec.noun}`,
      body: spec.patch,
      response: spec.view,
    }),
    replace: defineRoute({
      operationId: `${resource}.replace`,
      method: 'put',
      path: one,
      tag,
      permission: write,
      summary: `Replace a ${spec.noun}`,
      body: spec.create,
      response: spec.view,
    }),
    remove: defineRoute({
      operationId: `${resource}.delete`,
      method: 'delete',
      path: one,
      tag,
      permission: write,
      summary: spec.deleteSummary ?? `Delete a ${spec.noun}`,
      response: deleted,
    }),
  };
}
