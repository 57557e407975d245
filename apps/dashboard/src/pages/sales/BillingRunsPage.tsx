import { Button, Card, Group, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { getBillingRun, listBillingRuns, startBillingRun } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, day, useLoad } from '../../components/ui';

type Run = Awaited<ReturnType<typeof getBillingRun>>;
const finished = (r: Run) => r.status === 'completed' || r.status === 'completed_with_errors';

/** A run's progress bar, polled from its status endpoint until it finishes. */
function RunProgress({ initial }: { initial: Run }) {
  const [run, setRun] = useState(initial);
  useEffect(() => {
    if (finished(run)) return;
    const timer = setTimeout(() => getBillingRun(run.id).then(setRun, () => undefined), 1000);
    return () => clearTimeout(timer);
  }, [run]);
  const done = run.generated + run.skipped + run.failed;
  const percent =
    run.total === 0 ? (finished(run) ? 100 : 0) : Math.round((100 * done) / run.total);
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Text fw={700}>
          {day(run.period_start)} – {day(run.period_end)}
        </Text>
        <Text>{run.status}</Text>
      </Group>
      <Progress value={percent} mt="xs" aria-label={`Billing run ${run.id} progress`} />
      <Text size="sm" c="dimmed" mt={4}>
        {done} of {run.total} entitlements: {run.generated} generated, {run.skipped} skipped,{' '}
        {run.failed} failed
      </Text>
      {run.errors.map((e) => (
        <Text key={e.entitlement_id} size="sm" c="red.9">
          {e.entitlement_id}: {e.message}
        </Text>
      ))}
    </Card>
  );
}

/** Billing runs: start one for a period, and watch each run's progress. */
export default function BillingRunsPage() {
  const { can } = useAuth();
  const [version, setVersion] = useState(0);
  const runs = useLoad(listBillingRuns, [version]);
  const [error, setError] = useState<unknown>(null);

  async function start(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError(null);
    try {
      await startBillingRun({
        period_start: f.get('period_start'),
        period_end: f.get('period_end'),
      });
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <Stack>
      <Title order={2}>Billing runs</Title>
      <ErrorNote error={runs.error ?? error} />
      {can('bills:create') && (
        <form onSubmit={start}>
          <Group align="end" wrap="wrap">
            <TextInput type="date" name="period_start" label="Period start" required />
            <TextInput type="date" name="period_end" label="Period end" required />
            <Button type="submit">Start billing run</Button>
          </Group>
        </form>
      )}
      {runs.data?.results.length === 0 && <Text c="dimmed">No billing runs yet.</Text>}
      {runs.data?.results.map((r) => (
        <RunProgress key={r.id} initial={r} />
      ))}
    </Stack>
  );
}
