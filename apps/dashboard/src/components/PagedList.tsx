import { Group, Pagination, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { ListQuery } from '../api/client';
import { DataTable, ErrorNote, Loading, useLoad, type Column } from './ui';

interface Page<T> {
  results: T[];
  count: number;
  per_page?: number;
}

/**
 * A list endpoint's pages (`page`, `per_page`) with the filters the page shows above it; changing
 * a filter goes back to page 1.
 */
export function PagedList<T extends { id?: string }>({
  load,
  filters,
  columns,
  caption,
  perPage = 10,
  controls,
  version = 0,
}: {
  load: (q: ListQuery) => Promise<Page<T>>;
  filters: ListQuery;
  columns: Column<T>[];
  caption: string;
  perPage?: number;
  controls?: ReactNode;
  /** Bumped by the page after a write, to load again. */
  version?: number;
}) {
  const [page, setPage] = useState(1);
  const key = JSON.stringify(filters);
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    setPage(1);
  }
  const { data, error, loading } = useLoad(
    () => load({ ...filters, page, per_page: perPage }),
    [key, page, version],
  );
  const pages = data ? Math.max(1, Math.ceil(data.count / perPage)) : 1;
  return (
    <Stack gap="xs">
      {controls && (
        <Group align="end" wrap="wrap">
          {controls}
        </Group>
      )}
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data && <DataTable rows={data.results} columns={columns} caption={caption} />}
      {data && data.count > perPage && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {data.count} in all
          </Text>
          <Pagination
            total={pages}
            value={page}
            onChange={setPage}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
          />
        </Group>
      )}
    </Stack>
  );
}
