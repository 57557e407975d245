import { z } from 'zod';

export type { RouteSpec } from './route';

/** An empty query parameter counts as absent (libs/platform parseQuery). */
const absent = z.literal('');

export const listQuery = z.object({
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/)
    .or(absent)
    .optional()
    .describe('page number, from 1'),
  per_page: z
    .string()
    .regex(/^(100|[1-9][0-9]?)$/)
    .or(absent)
    .optional()
    .describe('results per page, at most 100 (default 25)'),
  search: z
    .string()
    .optional()
    .describe('free-text search (alias: q, with q_f to restrict fields)'),
  ordering: z.string().optional().describe('field to sort by, "-" for descending (alias: o)'),
  start_date: z.iso.date().or(absent).optional().describe('ISO date, inclusive (alias: start_at)'),
  end_date: z.iso.date().or(absent).optional().describe('ISO date, inclusive (alias: ends_at)'),
});

/** A date window or `period=monthly|weekly` (history endpoints). */
export const historyQuery = listQuery.extend({ period: z.enum(['monthly', 'weekly']).optional() });
export const historyWindow = { start_date: z.string().nullable(), end_date: z.string().nullable() };
