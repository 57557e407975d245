import type { ListQuery } from '@ledgerline/contracts';

/**
 * Endpoint filters as the use cases want them. The route spec's query schema (libs/contracts
 * routes/customers.ts) has already refused a bad value with a 422 naming the parameter, so these
 * only convert.
 */

const absent = (value: string | undefined): value is undefined =>
  value === undefined || value === '';

export function boolFilter(query: ListQuery, name: string): boolean | undefined {
  const value = query.filters[name];
  return absent(value) ? undefined : ['true', '1', 'True'].includes(value);
}

export function enumFilter<T extends string>(
  query: ListQuery,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = query.filters[name];
  return (values as readonly (string | undefined)[]).includes(value) ? (value as T) : undefined;
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
  return absent(value) ? undefined : value;
}

/**
 * The calendar days of the query's window (toListQuery has applied the one period rule); either
 * may be open.
 */
export function dateWindow(query: ListQuery): { from: string | null; to: string | null } {
  return {
    from: query.startDate ? day(query.startDate) : null,
    to: query.endDate ? day(query.endDate) : null,
  };
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}
