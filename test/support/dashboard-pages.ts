import type { Page } from 'playwright-core';

/** What the dashboard's browser tests do on its pages, by what a person sees (labels, roles). */

/** A field by its whole label; a required field's label ends in the library's " *". */
export const label = (text: string) =>
  new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

/** Signs in from the sign-in page and waits for the billing page. */
export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/app/');
  await page.getByLabel(label('Username or e-mail')).fill(username);
  await page.getByLabel(label('Password')).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Billing', level: 2 }).waitFor();
}

/** The customer page's invoice status and paid total, reloaded until `done` holds (events settle). */
export async function untilCustomerShows(
  page: Page,
  done: (status: string, paid: string) => boolean,
) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForLoadState('networkidle');
    const status = (await page.getByTestId('invoice-status').first().textContent()) ?? '';
    const paid = (await page.getByTestId('total_paid').textContent()) ?? '';
    if (done(status, paid)) return { status, paid };
    if (Date.now() > deadline) throw new Error(`customer page still shows ${status}, paid ${paid}`);
    await page.waitForTimeout(300);
  }
}
