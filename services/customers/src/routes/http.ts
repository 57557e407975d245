import type { Request, Response } from 'express';
import { listQuerySchema, ok, type ListQuery } from '@ledgerline/contracts';
import { parseQuery } from '@ledgerline/platform';

export { requestCaller as caller } from '@ledgerline/platform';

export const idParam = (req: Request, name = 'id') => String(req.params[name]);

export const listQuery = (req: Request): ListQuery => parseQuery(listQuerySchema, req);

/** The list envelope: `data: {results, count, page, per_page}`. */
export function sendPage<T>(
  res: Response,
  query: ListQuery,
  page: { results: T[]; count: number },
): void {
  res.json(
    ok({ results: page.results, count: page.count, page: query.page, per_page: query.perPage }),
  );
}

export function sendCreated(res: Response, location: string, data: unknown, message: string) {
  res.status(201).location(location).json(ok(data, message));
}
