import { AppError } from '@ledgerline/contracts';
import type { Caller, CustomersDeps } from './context';

/**
 * A resource's reads: one of the caller's tenant by id (404 naming the resource when the tenant has
 * no such document, another tenant's included), its view, and a page of them as views. The view of
 * one and of many come from the same function, so a GET and a list answer the same shape.
 */
/** The views of a resource whose view needs nothing but the document. */
export function eachViewed<Doc, View>(view: (doc: Doc) => View) {
  return async (_deps: CustomersDeps, _tenantId: string, docs: Doc[]): Promise<View[]> =>
    docs.map(view);
}

export function resourceReads<Doc, View>(opts: {
  label: string;
  find: (deps: CustomersDeps, tenantId: string, id: string) => Promise<Doc | null>;
  views: (deps: CustomersDeps, tenantId: string, docs: Doc[]) => Promise<View[]>;
}) {
  const find = async (deps: CustomersDeps, caller: Caller, id: string): Promise<Doc> => {
    const doc = await opts.find(deps, caller.tenantId, id);
    if (!doc) throw AppError.notFound(opts.label);
    return doc;
  };
  return {
    find,
    get: async (deps: CustomersDeps, caller: Caller, id: string): Promise<View> =>
      (await opts.views(deps, caller.tenantId, [await find(deps, caller, id)]))[0]!,
    page: async (
      deps: CustomersDeps,
      caller: Caller,
      found: { results: Doc[]; count: number },
    ): Promise<{ results: View[]; count: number }> => ({
      results: await opts.views(deps, caller.tenantId, found.results),
      count: found.count,
    }),
  };
}
