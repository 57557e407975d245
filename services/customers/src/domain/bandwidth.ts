import { BANDWIDTH_TYPES, type BandwidthType } from '@ledgerline/contracts';

/**
 * Seed 002 "Get Bandwidth Types (Grouped)": every bandwidth type is a key, in the seed's order,
 * even when empty, with its rows in the order given. Rows without a bandwidth type are left out.
 */
export function groupByBandwidthType<T extends { bandwidth_type: BandwidthType | null }>(
  rows: readonly T[],
): Record<BandwidthType, T[]> {
  const groups = Object.fromEntries(BANDWIDTH_TYPES.map((t) => [t, [] as T[]])) as Record<
    BandwidthType,
    T[]
  >;
  for (const row of rows) {
    if (row.bandwidth_type) groups[row.bandwidth_type].push(row);
  }
  return groups;
}
