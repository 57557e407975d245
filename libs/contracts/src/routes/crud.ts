import { z } from 'zod';
import type { Permission } from '../access';
import { pageSchema } from '../envelope';
import { defineRoute } from '../route';

const deleted = z.object({ id: z.string(), deleted: z.boolean() });

/**
 * List, create, read, PATCH, PUT and DELETE of one resource under `path`, each a route spec
 * documented with the schemas that validate it.
 */
export function crudRoutes<
  const P extends string,
  Q extends z.ZodObject,
  C extends z.ZodType,
  U extends z.ZodType,
  V extends z.ZodType,
>(spec: {
  path: P;
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
  const { tag, read, write } = spec;
  return {
    list: defineRoute({
      method: 'get',
      path: spec.path,
      tag,
      permission: read,
      summary: spec.listSummary ?? `List ${spec.noun}s`,
      query: spec.query,
      response: pageSchema(spec.view),
    }),
    create: defineRoute({
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
      method: 'get',
      path: one,
      tag,
      permission: read,
      summary: `One ${spec.noun}`,
      response: spec.view,
    }),
    patch: defineRoute({
      method: 'patch',
      path: one,
      tag,
      permission: write,
      summary: `Change some fields of a ${spec.noun}`,
      body: spec.patch,
      response: spec.view,
    }),
    replace: defineRoute({
      method: 'put',
      path: one,
      tag,
      permission: write,
      summary: `Replace a ${spec.noun}`,
      body: spec.create,
      response: spec.view,
    }),
    remove: defineRoute({
      method: 'delete',
      path: one,
      tag,
      permission: write,
      summary: spec.deleteSummary ?? `Delete a ${spec.noun}`,
      response: deleted,
    }),
  };
}
