import { Card, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { getUsageAnalytics } from '../api/client';
import { DataTable, ErrorNote, Loading, useLoad } from '../components/ui';

/** Seed 000's usage analytics; the only page that loads the chart library. */
export default function UsageAnalyticsPage() {
  const [days, setDays] = useState('30');
  const {
    data: analytics,
    error,
    loading,
  } = useLoad(() => getUsageAnalytics(Number(days)), [days]);
  return (
    <Stack>
      <Title order={2}>Usage analytics</Title>
      <NativeSelect
        label="Period"
        w={200}
        value={days}
        onChange={(e) => setDays(e.currentTarget.value)}
        data={[
          { value: '7', label: 'Last 7 days' },
          { value: '30', label: 'Last 30 days' },
          { value: '90', label: 'Last 90 days' },
        ]}
      />
      <ErrorNote error={error} />
      <Loading when={loading && !analytics} />
      {analytics && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Card withBorder>
              <Text c="dimmed">Current balance</Text>
              <Text fw={700} size="xl">
                {analytics.current_balance}
              </Text>
            </Card>
            <Card withBorder>
              <Text c="dimmed">Total usage</Text>
              <Text fw={700} size="xl">
                {analytics.total_usage}
              </Text>
            </Card>
            <Card withBorder>
              <Text c="dimmed">Total purchases</Text>
              <Text fw={700} size="xl">
                {analytics.total_purchases}
              </Text>
            </Card>
          </SimpleGrid>
          <Title order={3}>Daily usage</Title>
          <div role="img" aria-label="Line chart of daily usage, purchases and net credits">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={analytics.daily_usage}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="date" />
                <YAxis />
                <Tooltip />
                <Legend />
                <Line type="monotone" dataKey="usage" stroke="#1864ab" dot={false} />
                <Line type="monotone" dataKey="purchases" stroke="#2b8a3e" dot={false} />
                <Line type="monotone" dataKey="net" stroke="#c92a2a" dot={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          <Title order={3}>Usage by type</Title>
          <div role="img" aria-label="Bar chart of credits by transaction type">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={analytics.usage_by_type}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="transaction_type" />
                <YAxis />
                <Tooltip />
                <Bar dataKey="total" fill="#1864ab" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <DataTable
            rows={analytics.usage_by_type.map((u) => ({ ...u, id: u.transaction_type }))}
            caption="Usage by type"
            columns={[
              { label: 'Type', render: (u) => u.transaction_type },
              { label: 'Total', render: (u) => u.total },
              { label: 'Count', render: (u) => u.count },
            ]}
          />
        </>
      )}
    </Stack>
  );
}
