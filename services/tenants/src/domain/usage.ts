/** One metric of seed 003's usage report. */
export interface UsageMetric {
  used: number;
  limit: number | null;
  percentage: number | null;
}

/**
 * Every metric the plan limits or the tenant has used, with the share of the limit used rounded to
 * one decimal (24 of 500 -> 4.8). A metric without a limit has limit and percentage null.
 */
export function usageReport(
  used: Record<string, number>,
  limits: Record<string, number>,
): Record<string, UsageMetric> {
  const metrics = [...new Set([...Object.keys(limits), ...Object.keys(used)])].sort();
  return Object.fromEntries(
    metrics.map((metric) => {
      const count = Math.max(0, used[metric] ?? 0);
      const limit = limits[metric] ?? null;
      const percentage =
        limit === null
          ? null
          : limit === 0
            ? count > 0
              ? 100
              : 0
            : Math.round((count * 1000) / limit) / 10;
      return [metric, { used: count, limit, percentage }];
    }),
  );
}
