import { Kafka, logLevel, type Producer } from 'kafkajs';
import request from 'supertest';
import { buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import { bearer } from '../support/accounts';
import { eventually, KAFKA_BROKERS } from '../support/infra';
import { startTestPlatform, type RunningPlatform } from '../support/platform';
import * as providers from '../support/providers';

/**
 * Issue 18: a subscriber's credit is never lost. The proration invoice of an upgrade takes the
 * subscription's credit balance as a credit note; when the payments service is away, the note
 * waits for its hold, and if the invoice is paid in full meanwhile payments refuses the hold: the
 * amount goes back to the subscription's balance, once.
 */
jest.setTimeout(120_000);

let platform: RunningPlatform & { topicPrefix: string };
let api: ReturnType<typeof request>;
let producer: Producer | undefined;

beforeAll(async () => {
  platform = await startTestPlatform('crret', {
    basePort: 32000,
    gatewayPort: 32080,
    // the API's sweep of pending credit notes, every second instead of 15 s
    envFor: { billing: { CREDIT_NOTE_SWEEP_MS: '1000' } },
  });
  api = request(platform.gatewayUrl);
});

afterAll(async () => {
  await producer?.disconnect();
  await platform?.stop();
});

const DAY = 86_400_000;
const money = (minor: number) => (minor / 100).toFixed(2);

/** The events of one type on the billing topic whose data names the subscription. */
async function billingEvents(type: string, subscriptionId: string): Promise<EventEnvelope[]> {
  const kafka = new Kafka({
    clientId: 'crret-test',
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `crret-${Date.now()}`, maxWaitTimeInMs: 100 });
  const seen: EventEnvelope[] = [];
  await consumer.connect();
  await consumer.subscribe({
    topic: `${platform.topicPrefix}ledgerline.billing`,
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope;
      if (
        event.type === type &&
        (event.data as { subscription_id?: string }).subscription_id === subscriptionId
      )
        seen.push(event);
    },
  });
  try {
    return await eventually(
      async () => seen,
      (list) => list.length >= 1,
    );
  } finally {
    await consumer.disconnect();
  }
}

async function publish(events: EventEnvelope[]) {
  if (!producer) {
    const kafka = new Kafka({
      clientId: 'crret-test',
      brokers: KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  }
  await producer.send({
    topic: `${platform.topicPrefix}ledgerline.billing`,
    messages: events.map((e) => ({
      key: (e.data as { subscription_id: string }).subscription_id,
      value: JSON.stringify(e),
    })),
  });
}

describe("a subscription's credit whose credit note payments refuses", () => {
  test('when the proration invoice is paid in full while its credit note waits for payments, then the credit goes back to the balance exactly once and no note is issued', async () => {
    const shop = await providers.provider(api, 'crshop');
    const kim = await providers.provider(api, 'crkim');
    for (const [code, base, seat] of [
      ['team', '29.00', '10.00'],
      ['business', '59.00', '15.00'],
    ] as const)
      await providers.createPlan(api, shop.token, shop.slug, providers.feePlan(code, base, seat));
    const granted = await providers.grant(api, shop.token, shop.slug, 'business', {
      organization: { slug: kim.slug },
      seats: 2,
      starts_at: new Date(Date.now() - 9 * DAY).toISOString(),
    });
    expect([granted.status, granted.body.error]).toEqual([201, undefined]);
    await providers.invoicesTo(api, shop.token, kim.tenantId, 1);

    // independently: (59 + 2 x 15) - (29 + 2 x 10) = 40.00 for the remaining whole UTC days
    const prorated = () => providers.proratedMinor(granted.body.data, 4000).minor;
    const credit = prorated();
    const subscriptionPath = (plan: string) =>
      `/api/profile/${shop.slug}/plans/${plan}/subscriptions/${kim.slug}`;
    const down = await api
      .patch(subscriptionPath('business'))
      .set(bearer(shop.token))
      .send({ plan: 'team', at: 'now' });
    expect([down.status, down.body.data?.credit_balance]).toEqual([200, money(credit)]);

    // payments away: the upgrade's proration invoice takes the whole credit as a pending note
    await platform.stopOne('payments');
    const up = await api
      .patch(subscriptionPath('team'))
      .set(bearer(shop.token))
      .send({ plan: 'business' });
    expect([up.status, up.body.data?.credit_balance]).toEqual([200, null]);
    expect(prorated()).toBe(credit); // still the same UTC day
    const [, proration] = await providers.invoicesTo(api, shop.token, kim.tenantId, 2);
    expect(proration!.total_bill_amount).toBe(money(credit));
    const notesOf = async () =>
      (
        await api
          .get(`/api/bills/credit-notes/?invoice_id=${proration!.id}`)
          .set(bearer(shop.token))
      ).body.data.results as { status: string; amount: string }[];
    // the worker writes the note just after the invoice (creditFromBalance), so a read between
    // the two writes sees the invoice without it
    expect(await eventually(notesOf, (notes) => notes.length > 0)).toEqual([
      expect.objectContaining({ status: 'pending', amount: money(credit) }),
    ]);

    // payments back: the invoice is paid in full before the sweep asks for the note's hold
    // polled once a second: fewer failures than the gateway's breaker counts before it opens (5),
    // which would keep payments unreachable for 5 s more while the note ages toward the sweep
    platform.startOne('payments');
    await eventually(
      async () => (await api.get('/api/payments/payments/').set(bearer(shop.token))).status,
      (status) => status === 200,
      30_000,
      1000,
    );
    const paid = await api
      .post('/api/payments/payments/')
      .set(bearer(shop.token))
      .send({
        invoice_master_id: proration!.id,
        payment_method: 'Bank Transfer',
        amount: money(credit),
      });
    expect([paid.status, paid.body.error]).toEqual([201, undefined]);

    // the sweep's hold is refused (nothing owed): the credit is back on the balance
    const balanceOf = async () =>
      (await api.get(subscriptionPath('business')).set(bearer(shop.token))).body.data
        ?.credit_balance as string | null;
    await eventually(balanceOf, (b) => b === money(credit), 30_000, 250);
    expect(await notesOf()).toEqual([]);
    const invoice = (await api.get(`/api/bills/invoices/${proration!.id}/`).set(bearer(shop.token)))
      .body.data;
    expect(invoice).toMatchObject({
      status: 'paid',
      total_paid_amount: money(credit),
      credited_amount: '0.00',
      total_balance_due: '0.00',
      credit_notes: [],
    });

    // the return delivered again (same event, and re-announced under a new id) adds nothing: a
    // 0.01 return of another note sent after them, on the same partition, shows they were handled
    const [returned] = await billingEvents('SubscriptionCreditReturned', granted.body.data.id);
    expect(returned!.data).toMatchObject({
      invoice_id: proration!.id,
      amount_minor: credit,
      currency: 'USD',
    });
    const again = (data: EventEnvelope['data']) =>
      buildEvent('SubscriptionCreditReturned', {
        tenant_id: returned!.tenant_id,
        data: data as EventEnvelope<'SubscriptionCreditReturned'>['data'],
      });
    await publish([
      returned!,
      again(returned!.data),
      again({ ...returned!.data, credit_note_id: 'cn_crret_marker', amount_minor: 1 }),
    ]);
    await eventually(balanceOf, (b) => b === money(credit + 1), 20_000, 250);
  });
});
