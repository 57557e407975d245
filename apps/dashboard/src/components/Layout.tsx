import { AppShell, Burger, Button, Group, NativeSelect, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useState } from 'react';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ErrorNote, Loading } from './ui';

const SECTIONS: { title: string; links: [string, string][]; admin?: boolean }[] = [
  {
    title: 'Billing',
    links: [
      ['/billing', 'Billing'],
      ['/billing/credits', 'Purchase credits'],
      ['/billing/usage', 'Usage analytics'],
    ],
  },
  {
    title: 'Sales',
    links: [
      ['/sales/customers', 'Customers'],
      ['/sales/invoices', 'Invoices'],
      ['/sales/payments', 'Payments'],
      ['/sales/packages', 'Packages'],
      ['/sales/kams', 'KAMs'],
      ['/sales/billing-runs', 'Billing runs'],
    ],
  },
  {
    title: 'Account',
    links: [
      ['/account/settings', 'Settings'],
      ['/account/team', 'Team'],
    ],
  },
  { title: 'Platform', admin: true, links: [['/admin', 'Tenants and plans']] },
];

/** Navigation, the active tenant (switchable) and sign out around every signed-in page. */
export function Layout() {
  const { me, switchTenant, signOut } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const [error, setError] = useState<unknown>(null);
  const location = useLocation();
  if (!me) return null;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={1} size="h4">
              Ledgerline
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NativeSelect
              w={{ base: 120, sm: 220 }}
              aria-label="Active tenant"
              size="xs"
              value={me.tenant_id}
              data={me.tenants.map((t) => ({ value: t.id, label: `${t.name} (${t.role})` }))}
              onChange={(e) => switchTenant(e.currentTarget.value).catch(setError)}
            />
            <Button size="xs" variant="default" onClick={() => signOut()} style={{ flexShrink: 0 }}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {SECTIONS.filter((s) => !s.admin || me.platform_admin).map((s) => (
          <div key={s.title}>
            <Text size="xs" fw={700} tt="uppercase" mt="sm" mb={4} px="sm" c="dimmed">
              {s.title}
            </Text>
            {s.links.map(([to, label]) => (
              <NavLink
                key={to}
                component={RouterLink}
                to={to}
                end
                label={label}
                active={location.pathname === to}
                onClick={close}
              />
            ))}
          </div>
        ))}
        <Text size="xs" c="dimmed" mt="auto" px="sm">
          {me.username} · {me.role}
        </Text>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <ErrorNote error={error} />
        <Suspense fallback={<Loading when />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
