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

const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1, 'must be at least 1')
    .optional()
    .transform((n) => n ?? fallback);

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 25;

const rawListQuery = z
  .object({
    page: positiveInt(1),
    per_page: positiveInt(DEFAULT_PER_PAGE).refine(
      (n) => n <= MAX_PER_PAGE,
      `must be at most ${MAX_PER_PAGE}`,
    ),
    search: z.string().optional(),
    q: z.string().optional(),
    q_f: z.string().optional(),
    ordering: z.string().optional(),
    o: z.string().optional(),
    start_date: isoDate.optional(),
    start_at: isoDate.optional(),
    end_date: isoDate.optional(),
    ends_at: isoDate.optional(),
    period: z.enum(['monthly', 'weekly']).optional(),
  })
  .loose()
  // `?status=a&status=b` arrives as an array: refused rather than silently not filtering
  .superRefine((q, ctx) => {
    for (const [key, value] of Object.entries(q)) {
      if (Array.isArray(value))
        ctx.addIssue({ code: 'custom', path: [key], message: 'give it once' });
    }
  });

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

const KNOWN = new Set(Object.keys(rawListQuery.shape));

/** A date without a time as an end bound means "through the end of that day". */
function endOfRange(text: string): Date {
  const date = new Date(text);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) date.setUTCHours(23, 59, 59, 999);
  return date;
}

export const listQuerySchema = rawListQuery.transform((q): ListQuery => {
  const search = (q.search ?? q.q)?.trim() || undefined;
  const orderingText = q.ordering ?? q.o;
  const start = q.start_date ?? q.start_at;
  const end = q.end_date ?? q.ends_at;
  const filters: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (!KNOWN.has(key) && typeof value === 'string') filters[key] = value;
  }
  return {
    page: q.page,
    perPage: q.per_page,
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
    startDate: start ? new Date(start) : undefined,
    endDate: end ? endOfRange(end) : undefined,
    period: q.period,
    filters,
  };
});

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
