/// <reference lib="dom" />
// page.evaluate callbacks run in the browser
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './infra';

// the binary and switches the dashboard benchmark launches too (nothing reaches out)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CHROMIUM, CHROMIUM_ARGS } = require('../../bench/support/chromium.cjs') as {
  CHROMIUM: string;
  CHROMIUM_ARGS: string[];
};
export { CHROMIUM };

/** Headless chromium; every launch gets a fresh temporary profile (playwright's default). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export const WIDE = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far (CSP violations among them). */
  errors: string[];
}

/** A page in a fresh context (its own in-memory session), its console errors collected. */
export async function openPage(browser: Browser, baseURL: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: WIDE });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return { page, errors };
}

/** Every input, select and textarea on the page that has neither a label nor an aria-label. */
export function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((el) => (el as HTMLInputElement).type !== 'hidden')
      .filter((el) => {
        const field = el as HTMLInputElement;
        const labelled = (field.labels?.length ?? 0) > 0;
        const aria = field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
        return !labelled && !aria;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

const SHOTS = path.join(ROOT, '.run', 'screenshots');

/** The page at 1280 and at 390 px wide, as `.run/screenshots/<name>-<width>.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const size of [WIDE, PHONE]) {
    await page.setViewportSize(size);
    // transitions finished (the navigation slides away below 768 px)
    await page.screenshot({
      path: path.join(SHOTS, `${name}-${size.width}.png`),
      fullPage: true,
      animations: 'disabled',
    });
  }
  await page.setViewportSize(WIDE);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2 A and AA rules (contrast, names, labels, ...) on the page as it is. axe is
 * injected as a script, which the shell's CSP refuses: call this in a context opened with
 * `bypassCSP` (the CSP itself is checked in the other contexts).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
    }
    const results = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  });
}
