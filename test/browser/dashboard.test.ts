/// <reference lib="dom" />
// page.evaluate callbacks run in the browser
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { bearer, registerAndLogin, TEST_PASSWORD } from '../support/accounts';
import {
  axeViolations,
  launchChromium,
  openPage,
  screenshots,
  unlabelledFields,
  type WatchedPage,
} from '../support/browser';
import { label, signIn, untilCustomerShows } from '../support/dashboard-pages';
import { uniqueId } from '../support/infra';
import { startTestPlatform, type RunningPlatform } from '../support/platform';

/**
 * The dashboard in Debian's chromium against one whole platform: an owner's day of billing through
 * the pages, a viewer's read-only view, an ended session, and the checks a browser audit would
 * make offline (console errors, labelled fields, screenshots at 1280 and 390 px).
 */
jest.setTimeout(180_000);

let platform: RunningPlatform;
let api: ReturnType<typeof request>;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([
    startTestPlatform('dash', { basePort: 10600, gatewayPort: 10680 }),
    launchChromium(),
  ]);
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

const newPage = (): Promise<WatchedPage> => openPage(browser, platform.gatewayUrl);

/** Opens a page from the navigation and checks what every page must pass, then photographs it. */
async function visit(page: Page, link: string, heading: string, shot: string) {
  await page.getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
  await page.waitForLoadState('networkidle');
  expect(await unlabelledFields(page)).toEqual([]);
  await screenshots(page, shot);
}

let ownerUsername = '';
let invitationToken = '';
let viewerEmail = '';

describe('the dashboard in a browser', () => {
  test('when an owner registers and bills a bandwidth customer through the pages, then the invoice shows paid, the customer totals change and a billing run shows its progress to the end', async () => {
    const { page, errors } = await newPage();
    const started = Date.now();
    await page.goto('/app/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // the first page's interactivity on this machine (bench/dashboard-load.cjs measures it properly)
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await unlabelledFields(page)).toEqual([]);
    await screenshots(page, 'signin');

    await page.getByRole('link', { name: 'New here? Register' }).click();
    ownerUsername = uniqueId('dash');
    await page.getByLabel(label('Username')).fill(ownerUsername);
    await page.getByLabel(label('E-mail')).fill(`${ownerUsername}@example.com`);
    await page.getByLabel(label('Full name')).fill('Dana Owner');
    await page.getByLabel(label('Organization')).fill('Dash ISP');
    await page.getByLabel(label('Password')).fill(TEST_PASSWORD);
    expect(await unlabelledFields(page)).toEqual([]);
    await screenshots(page, 'register');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 2 }).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshots(page, 'billing');
    // nothing secret is stored where a script reads it
    expect(
      await page.evaluate(() => [
        ...Object.keys(localStorage).filter((k) => !k.startsWith('mantine-')),
        ...Object.keys(sessionStorage),
        document.cookie,
      ]),
    ).toEqual(['']);

    await visit(page, 'Customers', 'Customers', 'customers');
    await page.getByRole('link', { name: 'New customer' }).click();
    await page.getByLabel(label('Customer name')).fill('TechCorp Solutions Ltd');
    await page.getByLabel(label('E-mail')).fill('info@techcorp.example');
    await page.getByLabel(label('Customer type')).selectOption('bw');
    expect(await unlabelledFields(page)).toEqual([]);
    await screenshots(page, 'customer-form');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByRole('heading', { name: 'TechCorp Solutions Ltd', level: 2 }).waitFor();

    // an entitlement with two bandwidth rows, this month onwards: 10 x 20 + 10 x 30 = 500.00
    await page.getByRole('button', { name: 'New entitlement' }).click();
    await page.getByLabel(label('Bill number')).fill('BILL-DASH-1');
    await page.getByLabel(label('Row 1 bandwidth type')).selectOption('ipt');
    await page.getByLabel(label('Row 1 Mbps')).fill('10');
    await page.getByLabel(label('Row 1 unit price')).fill('20');
    await page.getByRole('button', { name: 'Add row' }).click();
    await page.getByLabel(label('Row 2 bandwidth type')).selectOption('gcc');
    await page.getByLabel(label('Row 2 Mbps')).fill('10');
    await page.getByLabel(label('Row 2 unit price')).fill('30');
    expect(await unlabelledFields(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create entitlement' }).click();
    const entitlement = page.getByTestId('entitlement');
    await entitlement.getByText('bandwidth gcc').waitFor();
    await expect(entitlement.getByText('bandwidth ipt').count()).resolves.toBe(1);

    await page.getByRole('button', { name: /^Auto-generate invoices of BILL-DASH-1/ }).click();
    await page.getByRole('button', { name: 'Issue draft invoice' }).click();
    await page.getByRole('button', { name: /^Record a payment on / }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel(/^Amount/).inputValue()).resolves.toBe('500.00');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const settled = await untilCustomerShows(
      page,
      (status, paid) => status === 'paid' && paid.startsWith('500.00'),
    );
    expect(settled).toEqual({ status: 'paid', paid: '500.00 USD' });
    await expect(page.getByTestId('total_billed').textContent()).resolves.toBe('500.00 USD');
    await expect(page.getByTestId('total_due').textContent()).resolves.toBe('0.00 USD');
    expect(await unlabelledFields(page)).toEqual([]);
    await screenshots(page, 'customer');

    // edit: the change is saved and shown
    await page.getByRole('link', { name: 'Edit customer' }).click();
    await page.getByLabel(label('Company')).fill('TechCorp Holdings');
    await page.getByRole('button', { name: 'Save customer' }).click();
    await page.getByText('TechCorp Holdings · bw · active', { exact: false }).waitFor();

    // the list's search and filters narrow it
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('link', { name: 'TechCorp Solutions Ltd' }).waitFor();
    await page.getByLabel(label('Search')).fill('no such customer');
    await page.getByText('Nothing yet.').waitFor();
    await page.getByLabel(label('Search')).fill('techcorp');
    await page.getByLabel(label('Type')).selectOption('bw');
    await page.getByRole('link', { name: 'TechCorp Solutions Ltd' }).waitFor();
    await page.getByLabel(label('Type')).selectOption('soho');
    await page.getByText('Nothing yet.').waitFor();

    // a billing run over this month: its progress bar follows the run's status to the end (the
    // entitlement's month is already billed, so it is skipped)
    await visit(page, 'Billing runs', 'Billing runs', 'billing-runs-empty');
    const now = new Date();
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    await page
      .getByLabel(label('Period start'))
      .fill(iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))));
    await page
      .getByLabel(label('Period end'))
      .fill(iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0))));
    await page.getByRole('button', { name: 'Start billing run' }).click();
    await page.getByText('1 of 1 entitlements: 0 generated, 1 skipped, 0 failed').waitFor();
    await page.getByText('completed', { exact: true }).waitFor();
    await expect(page.getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('100');

    for (const [link, heading, shot] of [
      ['Invoices', 'Invoices', 'invoices'],
      ['Payments', 'Payments', 'payments'],
      ['Packages', 'Packages and pricings', 'packages'],
      ['KAMs', 'Key account managers', 'kams'],
      ['Billing runs', 'Billing runs', 'billing-runs'],
      ['Purchase credits', 'Purchase credits', 'purchase-credits'],
      ['Usage analytics', 'Usage analytics', 'usage-analytics'],
      ['Settings', 'Account settings', 'settings'],
      ['Team', 'Team', 'team'],
    ])
      await visit(page, link!, heading!, shot!);

    // the owner invites a viewer from the team page; the token is shown once
    viewerEmail = `${uniqueId('viewer')}@example.com`;
    await page.getByLabel(label('E-mail to invite')).fill(viewerEmail);
    await page.getByLabel(label('Role')).selectOption('viewer');
    await page.getByRole('button', { name: 'Invite' }).click();
    invitationToken = (await page.getByTestId('invitation-token').textContent()) ?? '';
    expect(invitationToken.length).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  });

  test('when a viewer accepts the invitation and signs in, then no write buttons show and a forced write shows the 403 message', async () => {
    const { page, errors } = await newPage();
    await page.goto('/app/signin');
    await page.getByRole('link', { name: 'I have an invitation' }).click();
    await page.getByLabel(label('E-mail')).fill(viewerEmail);
    await page.getByLabel(label('Invitation token')).fill(invitationToken);
    await page.getByLabel(label('Password')).fill(TEST_PASSWORD);
    expect(await unlabelledFields(page)).toEqual([]);
    await screenshots(page, 'accept-invitation');
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByText('You joined the team').waitFor();

    // what the API itself answers the viewer's write, to compare with the page
    const viewerToken = (
      await api.post('/api/auth').send({ username: viewerEmail, password: TEST_PASSWORD })
    ).body.data.token as string;
    const refused = await api
      .post('/api/customers/customers/')
      .set(bearer(viewerToken))
      .send({ customer_name: 'Not allowed', customer_type: 'bw' });
    expect(refused.status).toBe(403);

    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.getByLabel(label('Username or e-mail')).fill(viewerEmail);
    await page.getByLabel(label('Password')).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Billing', level: 2 }).waitFor();
    await visit(page, 'Customers', 'Customers', 'customers-viewer');
    await expect(page.getByRole('link', { name: 'New customer' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'TechCorp Solutions Ltd' }).click();
    await page.getByTestId('invoice-status').first().waitFor();
    for (const write of [
      'Edit customer',
      'New entitlement',
      /^Auto-generate/,
      /^Issue/,
      /^Record a payment/,
      /^Void/,
    ])
      await expect(page.getByRole('button', { name: write }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Edit customer' }).count()).resolves.toBe(0);

    // forced: the create form by its address, submitted; the page shows the API's 403 message
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.evaluate(() => {
      history.pushState({}, '', '/app/sales/customers/new');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.getByLabel(label('Customer name')).fill('Not allowed');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(refused.body.error);
    // the only console errors: chromium's line for the refused request
    expect(errors.filter((e) => !e.includes('status of 403'))).toEqual([]);
  });

  test("when the owner changes the viewer's role on the team page, then the viewer's next sign-in may write", async () => {
    const { page, errors } = await newPage();
    await signIn(page, ownerUsername, TEST_PASSWORD);
    await visit(page, 'Team', 'Team', 'team-roles');
    const role = page.getByLabel(`Role of ${viewerEmail}`);
    const [patched] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PATCH' && r.url().includes('/v1/account/team/'),
      ),
      role.selectOption('member'),
    ]);
    expect(patched.status()).toBe(200);
    // the list is read again: the select shows the role the API now holds
    await page.waitForFunction(
      (email) =>
        (document.querySelector(`[aria-label="Role of ${email}"]`) as HTMLSelectElement | null)
          ?.value === 'member',
      viewerEmail,
    );
    const token = (
      await api.post('/api/auth').send({ username: viewerEmail, password: TEST_PASSWORD })
    ).body.data.token as string;
    const write = await api
      .post('/api/bills/invoices/')
      .set(bearer(token))
      .send({ currency: 'USD' });
    expect([write.status, write.body.error]).toEqual([201, undefined]);
    expect(errors).toEqual([]);
  });

  test('when a call is refused as an expired token is (401), then the page refreshes the session once and carries on', async () => {
    const other = await registerAndLogin(api, 'dash-refresh');
    const { page, errors } = await newPage();
    await signIn(page, other.username, TEST_PASSWORD);
    const refreshes: number[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/auth/refresh') refreshes.push(r.status());
    });
    // the gateway's answer to an expired access token, for the next customers list only: the
    // access token lives 15 minutes, too long to wait for here; the refresh itself is real
    await page.route(
      (url) => url.pathname === '/api/customers/customers',
      (route) =>
        route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: JSON.stringify({
            success: false,
            error: 'Token expired',
            code: 401,
            type: 'unauthorized',
            request_id: 'test',
          }),
        }),
      { times: 1 },
    );
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers', level: 2 }).waitFor();
    await page.getByText('Nothing yet.').waitFor(); // the retried list, empty for a new tenant
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(refreshes).toEqual([200]);
    expect(new URL(page.url()).pathname).toBe('/app/sales/customers');
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  test('when the session ends elsewhere (password changed), then the next page goes back to sign-in', async () => {
    const other = await registerAndLogin(api, 'dash-ended');
    const { page, errors } = await newPage();
    await signIn(page, other.username, TEST_PASSWORD);
    const changed = await api
      .post('/api/auth/password')
      .set(bearer(other.token))
      .send({ old_password: TEST_PASSWORD, new_password: `${TEST_PASSWORD} 2` });
    expect(changed.status).toBe(200);
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByTestId('session-ended').waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/signin');
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });

  test('when the platform admin signs in, then tenants and plans show, a reload signs out, and the first Tab skips to the content', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'admin', 'ledgerline-admin');
    await visit(page, 'Tenants and plans', 'Tenants', 'admin');
    await page.getByRole('heading', { name: 'Plans', level: 2 }).waitFor();
    // a reload forgets the in-memory session: sign-in again (docs/decisions/dashboard.md)
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/signin');
    // after signing in, the keyboard's first stop skips the navigation
    await signIn(page, 'admin', 'ledgerline-admin');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(errors).toEqual([]);
  });

  test('when every page is audited with axe-core (WCAG 2 A and AA), then none has a violation', async () => {
    const context = await browser.newContext({
      baseURL: platform.gatewayUrl,
      viewport: { width: 1280, height: 900 },
      bypassCSP: true, // axe is injected as a script
    });
    const page = await context.newPage();
    await page.goto('/app/signin');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const found: Record<string, unknown> = { signin: await axeViolations(page) };
    await signIn(page, ownerUsername, TEST_PASSWORD);
    found.billing = await axeViolations(page);
    for (const [link, heading] of [
      ['Customers', 'Customers'],
      ['Invoices', 'Invoices'],
      ['Payments', 'Payments'],
      ['Billing runs', 'Billing runs'],
      ['Purchase credits', 'Purchase credits'],
      ['Usage analytics', 'Usage analytics'],
      ['Settings', 'Account settings'],
      ['Team', 'Team'],
    ]) {
      await page.getByRole('link', { name: link!, exact: true }).click();
      await page.getByRole('heading', { name: heading!, level: 2 }).waitFor();
      await page.waitForLoadState('networkidle');
      found[link!] = await axeViolations(page);
    }
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('link', { name: 'TechCorp Solutions Ltd' }).click();
    await page.getByTestId('invoice-status').first().waitFor();
    found.customer = await axeViolations(page);
    await context.close();
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => (v as []).length))).toEqual(
      {},
    );
  });
});
