import { Kafka, logLevel } from 'kafkajs';
import { bearer, registerAndLogin, type Api, type TestSession } from './accounts';
import { eventually, KAFKA_BROKERS, uniqueId } from './infra';

/** Helpers of the provider tests (issue 18): providers, their plans, grants and events. */

/** The tenant's profile slug, once tenants has learned of it (TenantRegistered). */
export async function slugOf(api: Api, session: TestSession): Promise<string> {
  const slug = (await api.get('/api/auth/me').set(bearer(session.token))).body.data.tenants[0]
    .slug as string;
  await eventually(
    async () =>
      (await api.get(`/api/profile/${slug}/subscriptions`).set(bearer(session.token))).status,
    (code) => code === 200,
  );
  return slug;
}

/** A new organization and its owner, ready to be a provider. */
export async function provider(api: Api, label: string) {
  const owner = await registerAndLogin(api, label);
  return { ...owner, slug: await slugOf(api, owner) };
}

export async function createPlan(
  api: Api,
  token: string,
  slug: string,
  body: Record<string, unknown>,
) {
  const res = await api.post(`/api/profile/${slug}/plans`).set(bearer(token)).send(body);
  expect([res.status, res.body.error]).toEqual([201, undefined]);
  return res.body.data as { id: string; code: string; version: number };
}

/**
 * A monthly USD plan of flat and per-seat fees: `base` a month, and `seat` a seat when given
 * (decimal strings); `extra` adds or overrides fields (trial_days, more charges...).
 */
export function feePlan(
  code: string,
  base: string,
  seat?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    code,
    name: code[0]!.toUpperCase() + code.slice(1),
    currency: 'USD',
    interval: 'month',
    charges: [
      { kind: 'flat', code: 'base', name: 'Base fee', amount: base },
      ...(seat ? [{ kind: 'per_seat', code: 'seats', name: 'Seats', unit_amount: seat }] : []),
    ],
    ...extra,
  };
}

/** The provider's billable metric `storage`: the sum of `properties.gb`. */
export async function createStorageMetric(api: Api, token: string, slug: string) {
  const res = await api
    .post(`/api/profile/${slug}/billable-metrics`)
    .set(bearer(token))
    .send({ code: 'storage', name: 'Storage', aggregation: 'sum', field: 'gb' });
  expect([res.status, res.body.error]).toEqual([201, undefined]);
}

export const grant = (
  api: Api,
  token: string,
  slug: string,
  plan: string,
  body: Record<string, unknown>,
) => api.post(`/api/profile/${slug}/plans/${plan}/subscriptions`).set(bearer(token)).send(body);

/** The subscription's events on the tenants topic, in order: [type, key, status]. */
export async function subscriptionEvents(
  topicPrefix: string,
  subscriptionId: string,
  atLeast: number,
) {
  const kafka = new Kafka({
    clientId: 'providers-test',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `providers-${uniqueId('g')}`, maxWaitTimeInMs: 100 });
  const seen: [string, string, string][] = [];
  await consumer.connect();
  await consumer.subscribe({
    topic: `${topicPrefix}ledgerline.tenants`,
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}');
      if (event.data?.subscription_id === subscriptionId)
        seen.push([event.type, message.key?.toString() ?? '', event.data.status]);
    },
  });
  try {
    await eventually(
      async () => seen.length,
      (n) => n >= atLeast,
    );
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

const DAY_MS = 86_400_000;

/**
 * The engine's day proration recomputed independently: `differenceMinor` for the whole UTC days of
 * the period left at `at`, out of the period's whole days, rounded half away from zero.
 */
export function proratedMinor(
  period: { current_period_start: string; current_period_end: string },
  differenceMinor: number,
  at = Date.now(),
) {
  const utcDay = (ms: number) => Math.floor(ms / DAY_MS);
  const end = Date.parse(period.current_period_end);
  const remaining = utcDay(end) - utcDay(at);
  const whole = utcDay(end) - utcDay(Date.parse(period.current_period_start));
  const minor = Math.floor((differenceMinor * remaining * 2 + whole) / (2 * whole));
  return { remaining, whole, minor };
}

/** An invoice as the provider's invoice list shows it (what the provider tests read). */
export interface ProviderInvoiceRow {
  id: string;
  customer_id: string;
  total_bill_amount: string;
  currency: string;
  issue_date: string;
  invoice_number: string;
  details: { sub_total: string; remarks: string }[];
}

/** The provider's invoices to one subscriber, oldest first, once there are at least `atLeast`. */
export function invoicesTo(api: Api, token: string, customerId: string, atLeast: number) {
  return eventually(
    async () => {
      const res = await api
        .get('/api/bills/invoices/?per_page=100&ordering=issue_date')
        .set(bearer(token));
      const rows = res.body.data.results as ProviderInvoiceRow[];
      return rows.filter((i) => i.customer_id === customerId);
    },
    (rows) => rows.length >= atLeast,
  );
}
