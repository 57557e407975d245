import { AppError, type ListQuery } from '@ledgerline/contracts';

/** Endpoint-specific query filters, validated: a bad value is a 422 naming the parameter. */

export function boolFilter(query: ListQuery, name: string): boolean | undefined {
  const value = query.filters[name];
  if (value === undefined || value === '') return undefined;
  if (['true', '1', 'True'].includes(value)) return true;
  if (['false', '0', 'False'].includes(value)) return false;
  throw AppError.validation('Invalid query parameters', [
    { field: name, message: 'must be true or false' },
  ]);
}

export function enumFilter<T extends string>(
  query: ListQuery,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = query.filters[name];
  if (value === undefined || value === '') return undefined;
  if ((values as readonly string[]).includes(value)) return value as T;
  throw AppError.validation('Invalid query parameters', [
    { field: name, message: `must be one of ${values.join(', ')}` },
  ]);
}

export function textFilter(query: ListQuery, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = query.filters[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

export function dateFilter(query: ListQuery, name: string): string | undefined {
  const value = query.filters[name];
  if (value === undefined || value === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw AppError.validation('Invalid query parameters', [
    { field: name, message: 'must be a date such as 2025-01-31' },
  ]);
}

/** The calendar days of the query's start/end (or period) window; either may be open. */
export function dateWindow(
  query: ListQuery,
  periodWindow: (p: 'monthly' | 'weekly') => { start: Date; end: Date },
): { from: string | null; to: string | null } {
  if (query.period && !query.startDate && !query.endDate) {
    const w = periodWindow(query.period);
    return { from: day(w.start), to: day(w.end) };
  }
  return {
    from: query.startDate ? day(query.startDate) : null,
    to: query.endDate ? day(query.endDate) : null,
  };
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
