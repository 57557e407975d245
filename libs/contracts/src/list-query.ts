import { z } from 'zod';

/**
 * One list-query shape for every list endpoint. The seeds spell the same things differently
 * (seed 001: q, q_f, o, start_at, ends_at; seed 002: search, ordering, start_date, end_date),
 * so both spellings are accepted and normalised here.
 */

const isoDate = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    {
      message: 'must be an ISO 8601 date',
    },
  );

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 25;

/**
 * The list parameters every list route takes, documented and validated by the same schema. Both
 * seeds' spellings are accepted; `toListQuery` turns them into one `ListQuery`.
 */
export const LIST_PARAMS = {
  page: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'must be a whole number from 1')
    .optional()
    .describe('page number, from 1'),
  per_page: z
    .string()
    .regex(/^(100|[1-9][0-9]?)$/, `must be a whole number from 1 to ${MAX_PER_PAGE}`)
    .optional()
    .describe(`results per page, at most ${MAX_PER_PAGE} (default ${DEFAULT_PER_PAGE})`),
  search: z.string().optional().describe('free-text search (alias: q)'),
  q: z.string().optional().describe('alias of search'),
  q_f: z.string().optional().describe('comma-separated fields the search is restricted to'),
  ordering: z.string().optional().describe('field to sort by, "-" for descending (alias: o)'),
  o: z.string().optional().describe('alias of ordering'),
  start_date: isoDate.optional().describe('ISO date, inclusive (alias: start_at)'),
  start_at: isoDate.optional().describe('alias of start_date'),
  end_date: isoDate.optional().describe('ISO date, inclusive (alias: ends_at)'),
  ends_at: isoDate.optional().describe('alias of end_date'),
  period: z.enum(['monthly', 'weekly']).optional(),
};

// `?status=a&status=b` arrives as an array: refused rather than silently not filtering
function givenOnce(q: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(q)) {
    if (Array.isArray(value))
      ctx.addIssue({ code: 'custom', path: [key], message: 'give it once' });
  }
}

/** A list route's query: the list parameters plus its own documented filters. */
export function listParams<F extends z.ZodRawShape = Record<never, never>>(filters?: F) {
  return z
    .object({ ...LIST_PARAMS, ...(filters as F) })
    .loose()
    .superRefine(givenOnce);
}

const anyListParams = listParams();
export type ListParams = z.output<typeof anyListParams>;

export interface SortKey {
  field: string;
  direction: 1 | -1;
}

export interface ListQuery {
  page: number;
  perPage: number;
  search?: string;
  searchFields?: string[];
  sort: SortKey[];
  startDate?: Date;
  endDate?: Date;
  period?: 'monthly' | 'weekly';
  /** Every other query parameter, for endpoint-specific filters (customer_id, status...). */
  filters: Record<string, string>;
}

const KNOWN = new Set(Object.keys(LIST_PARAMS));

/** A date without a time as an end bound means "through the end of that day". */
function endOfRange(text: string): Date {
  const date = new Date(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) date.setUTCHours(23, 59, 59, 999);
  return date;
}

/**
 * The parsed list parameters as one shape; any other parameter is an endpoint filter.
 *
 * The date window has one rule for every list: explicit dates (`start_date`/`end_date`, or
 * `start_at`/`ends_at`) win, and `period` gives the window (this month, this ISO week) only when
 * neither date is sent. Seed 002's example sends both dates and `period=monthly` and means the dates.
 */
export function toListQuery(q: ListParams, now: Date = new Date()): ListQuery {
  const search = (q.search ?? q.q)?.trim() || undefined;
  const orderingText = q.ordering ?? q.o;
  const start = q.start_date ?? q.start_at;
  const end = q.end_date ?? q.ends_at;
  const filters: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (!KNOWN.has(key) && typeof value === 'string') filters[key] = value;
  }
  return {
    page: q.page ? Number(q.page) : 1,
    perPage: q.per_page ? Number(q.per_page) : DEFAULT_PER_PAGE,
    search,
    searchFields: q.q_f
      ? q.q_f
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : undefined,
    sort: orderingText
      ? orderingText
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
          .map((f) =>
            f.startsWith('-')
              ? { field: f.slice(1), direction: -1 as const }
              : { field: f, direction: 1 as const },
          )
      : [],
    ...dateWindow(start, end, q.period, now),
    period: q.period,
    filters,
  };
}

function dateWindow(
  start: string | undefined,
  end: string | undefined,
  period: ListQuery['period'],
  now: Date,
): { startDate?: Date; endDate?: Date } {
  if (period && !start && !end) {
    const w = periodWindow(period, now);
    return { startDate: w.start, endDate: w.end };
  }
  return {
    startDate: start ? new Date(start) : undefined,
    endDate: end ? endOfRange(end) : undefined,
  };
}

export const listQuerySchema = anyListParams.transform((q) => toListQuery(q));

/** The [start, end] window of `period` containing `now` (ISO weeks start on Monday). */
export function periodWindow(period: 'monthly' | 'weekly', now: Date): { start: Date; end: Date } {
  if (period === 'monthly') {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1);
    return { start, end };
  }
  const dayFromMonday = (now.getUTCDay() + 6) % 7;
  const start = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - dayFromMonday),
  );
  const end = new Date(start.getTime() + 7 * 86_400_000 - 1);
  return { start, end };
}

/**
 * Filter parameters of list routes, each documented with what it accepts (an empty value counts
 * as absent: the OpenAPI document says so for every query parameter).
 */
export const filterParam = {
  text: (description: string) => z.string().optional().describe(description),
  flag: (description = 'true or false') =>
    z
      .enum(['true', 'false', '1', '0', 'True', 'False'], { error: 'must be true or false' })
      .optional()
      .describe(description),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, description?: string) =>
    z
      .enum(values, { error: `must be one of ${values.join(', ')}` })
      .optional()
      .describe(description ?? values.join(', ')),
  someOf: <const T extends readonly [string, ...string[]]>(values: T, description?: string) =>
    z
      .string()
      .regex(
        new RegExp(`^(${values.join('|')})( *, *(${values.join('|')}))*$`),
        `must be one or more of ${values.join(', ')}, separated by commas`,
      )
      .optional()
      .describe(description ?? `one or more of ${values.join(', ')}, separated by commas`),
  day: (description: string) =>
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2025-01-31')
      .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date such as 2025-01-31')
      .optional()
      .describe(description),
};

/** The list envelope's data: one page of results with the page it is. */
export function pageOf<T>(
  query: Pick<ListQuery, 'page' | 'perPage'>,
  found: { results: T[]; count: number },
): { results: T[]; count: number; page: number; per_page: number } {
  return { results: found.results, count: found.count, page: query.page, per_page: query.perPage };
}

/** The date window a history answer covers (the request's, after the period rule above). */
export const historyWindow = { start_date: z.string().nullable(), end_date: z.string().nullable() };
