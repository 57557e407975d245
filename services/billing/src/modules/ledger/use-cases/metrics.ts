import { AppError, formatMinor, minorJson } from '@ledgerline/contracts';
import {
  balancesTable,
  customersTable,
  lastTwelveMonths,
  monthlyPeriods,
  revenueTable,
  type Period,
} from '../domain/metrics';
import type { LedgerCaller, LedgerDeps } from './deps';

export const METRICS = ['revenue', 'balances', 'customers'] as const;
export type MetricName = (typeof METRICS)[number];

export interface MetricsWindow {
  start?: string;
  end?: string;
  currency?: string;
}

function parseDate(text: string, field: string): Date {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw AppError.validation('Invalid query parameters', [
      { field, message: 'must be an ISO 8601 date' },
    ]);
  }
  return date;
}

function periodsOf(window: MetricsWindow, now: Date): Period[] {
  if (!window.start && !window.end) return lastTwelveMonths(now);
  const end = window.end ? parseDate(window.end, 'ends_at') : now;
  const start = window.start
    ? parseDate(window.start, 'start_at')
    : new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 11, 1));
  if (start > end) {
    throw AppError.validation('Invalid query parameters', [
      { field: 'start_at', message: 'must not be after ends_at' },
    ]);
  }
  return monthlyPeriods(start, end);
}

/**
 * Seed 001's "table of aggregated values over a metric", one row per series, one value per month.
 * Computed in the service over the tenant's entries (FerretDB aggregation is too limited).
 */
export async function metricsTable(
  deps: LedgerDeps,
  caller: LedgerCaller,
  profile: string,
  metric: MetricName,
  window: MetricsWindow,
  now = new Date(),
) {
  if (profile !== caller.tenantId) throw AppError.notFound('Profile');
  const periods = periodsOf(window, now);
  const last = periods[periods.length - 1];
  const entries = last ? await deps.entries.upTo(caller.tenantId, last.end) : [];
  const key = (d: Date) => d.toISOString();
  if (metric === 'customers') {
    return {
      title: 'Customers',
      scale: 1,
      unit: null,
      currency: null,
      table: customersTable(periods, entries).map((r) => ({
        key: r.key,
        values: r.values.map(([d, v]) => [key(d), v] as [string, number]),
      })),
    };
  }
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.currency, (counts.get(e.currency) ?? 0) + 1);
  const currency =
    window.currency ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? deps.defaultCurrency;
  const rows =
    metric === 'revenue'
      ? revenueTable(periods, entries, currency)
      : balancesTable(periods, entries, currency);
  return {
    title: metric === 'revenue' ? 'Revenue' : 'Balances',
    scale: 1,
    unit: currency.toLowerCase(),
    currency,
    // decimal strings like every endpoint, and seed 001's integer minor units beside them
    table: rows.map((r) => ({
      key: r.key,
      values: r.values.map(([d, v]) => [key(d), formatMinor(v, currency)] as [string, string]),
      values_minor: r.values.map(([d, v]) => [key(d), minorJson(v)] as [string, number | string]),
    })),
  };
}
