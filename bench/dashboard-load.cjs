'use strict';
/**
 * Dashboard load (issue 20): how soon the web dashboard is usable in Debian's chromium, against a
 * whole platform on 127.0.0.1.
 *
 *   node bench/dashboard-load.cjs     (infra up; `npx turbo run build`; /usr/bin/chromium)
 *
 * Starts the platform on ports of its own (services 27701-27705, gateway 27780) with its own
 * databases and topics, registers one owner, then BENCH_RUNS (10) times, each in a fresh browser
 * context (empty cache, no session):
 * - signin: from navigation start to the sign-in form's button being on the page and enabled
 *   (`performance.now()` in the page: the shell, the entry chunk, React's first render);
 * - billing: from the click on "Sign in" to the billing page showing the credit balance (token,
 *   the `me` call, the billing page's chunk and its first API answers).
 * Summary: initial_js_gzip_kb (the entry chunk and its static imports, gzipped), and medians and
 * p90s of both times (interactive_ms_median is the sign-in page's; the target is under 1 s).
 * Writes bench/results/dashboard-load-<time>.json and bench/results/latest/dashboard-load.json.
 */
/* global document, performance -- inside page callbacks, which run in the browser */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { chromium } = require('playwright-core');
const { CHROMIUM, CHROMIUM_ARGS } = require('./support/chromium.cjs');
const { initialJs } = require('../apps/dashboard/scripts/initial-js.cjs');
const { benchRun, startBenchPlatform } = require('./support/bench-platform.cjs');
const { stopAndDrop } = require('./support/run-data.cjs');
const { writeResults } = require('./support/results.cjs');
const { gatewayClient, percentile, log, runMain } = require('./support/gateway-client.cjs');

const BASE_PORT = 27700;
const GATEWAY_PORT = 27780;
const GATEWAY = `http://127.0.0.1:${GATEWAY_PORT}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const PASSWORD = 'a long bench password';

const { must } = gatewayClient(GATEWAY);

async function oneVisit(browser, username) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${GATEWAY}/app/signin`, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => {
        const button = document.querySelector('button[type="submit"]');
        return button !== null && !button.disabled;
      },
      undefined,
      { polling: 'raf' },
    );
    const signin = await page.evaluate(() => performance.now());
    await page.getByLabel(/^Username or e-mail/).fill(username);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('stat-Credits').waitFor();
    return { signin, billing: Date.now() - clicked };
  } finally {
    await context.close();
  }
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: Number(percentile(sorted, 50).toFixed(1)),
    p90: Number(percentile(sorted, 90).toFixed(1)),
  };
};

async function main() {
  const { gzipBytes, files } = initialJs(path.join(ROOT, 'apps', 'dashboard', 'dist'));
  const run = benchRun('dl');
  const platform = await startBenchPlatform(run, {
    basePort: BASE_PORT,
    gatewayPort: GATEWAY_PORT,
    log,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const username = `${run.id}_owner`;
    await must('POST', '/api/auth/register', {
      username,
      password: PASSWORD,
      email: `${username}@example.com`,
      full_name: 'Bench Owner',
      type: 'organization',
      organization_name: 'Bench ISP',
    });
    await oneVisit(browser, username); // warms the gateway's shell and the services, not the browser
    const visits = [];
    for (let i = 0; i < RUNS; i++) visits.push(await oneVisit(browser, username));
    const signin = stats(visits.map((v) => v.signin));
    const billing = stats(visits.map((v) => v.billing));
    const summary = {
      runs: RUNS,
      initial_js_gzip_kb: Number((gzipBytes / 1024).toFixed(1)),
      initial_js_files: files.length,
      interactive_ms_median: signin.median,
      interactive_ms_p90: signin.p90,
      billing_ms_median: billing.median,
      billing_ms_p90: billing.p90,
    };
    const file = writeResults('dashboard-load', summary, { visits });
    console.log(`\nDashboard load (${RUNS} fresh browser contexts)\n`);
    console.table(summary);
    log(`results in ${path.relative(ROOT, file)}`);
  } finally {
    await browser.close();
    await stopAndDrop(platform, run, log);
  }
}

runMain(module, main);
