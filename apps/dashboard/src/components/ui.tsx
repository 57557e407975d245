import { Alert, Loader, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

/** Loads on mount and whenever a value in `deps` changes; `reload` loads again (after a write). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // the latest `load` (it may close over new props); `deps`, not its identity, decide when to load
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  const reload = useCallback(() => {
    setLoading(true);
    latest
      .current()
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch(setError)
      .finally(() => setLoading(false));
    // deps: the caller names what the load reads (the effect above has already updated `latest`)
  }, deps);
  useEffect(reload, [reload]);
  return { data, error, loading, reload };
}

/** The error envelope's message, announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title="Something went wrong" role="alert" data-testid="error">
      {message}
    </Alert>
  );
}

/** A spinner announced as a status: a bare element may not carry a name (axe aria-prohibited-attr). */
export function Loading({ when }: { when: boolean }) {
  return when ? <Loader size="sm" role="status" aria-label="Loading" /> : null;
}

export interface Column<T> {
  label: string;
  render: (row: T) => ReactNode;
}

/** A plain, scrollable table (narrow screens scroll it sideways instead of squeezing it). */
export function DataTable<T extends { id?: string }>({
  rows,
  columns,
  caption,
  empty = 'Nothing yet.',
}: {
  rows: T[] | undefined;
  columns: Column<T>[];
  caption: string;
  empty?: string;
}) {
  if (rows && rows.length === 0) return <Text c="dimmed">{empty}</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.label}>{c.label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(rows ?? []).map((row, i) => (
            <Table.Tr key={row.id ?? i}>
              {columns.map((c) => (
                <Table.Td key={c.label}>{c.render(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export const money = (amount: string | null | undefined, currency?: string) =>
  amount == null ? '—' : `${amount} ${currency ?? ''}`.trim();
export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
