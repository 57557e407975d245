import { buildEvent, eventKey, parseEvent, topicOf } from './events';

const payment = {
  payment_id: 'pay_1',
  invoice_id: 'inv_1',
  customer_id: null,
  amount_minor: 2900,
  currency: 'USD',
  payment_method: 'Bank Transfer',
  payment_date: '2025-01-20',
};

describe('events', () => {
  test('when an event is built, then it has the full envelope and round-trips through JSON', () => {
    const event = buildEvent('PaymentRecorded', {
      tenant_id: 'ten_1',
      correlation_id: 'req-1',
      data: payment,
      now: new Date('2025-01-20T10:00:00Z'),
    });
    expect(event).toMatchObject({
      type: 'PaymentRecorded',
      version: 1,
      occurred_at: '2025-01-20T10:00:00.000Z',
      tenant_id: 'ten_1',
      correlation_id: 'req-1',
      data: payment,
    });
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(eventKey(event)).toBe('inv_1');
    expect(topicOf('PaymentRecorded', 't1.')).toBe('t1.ledgerline.payments');
  });

  test('when a payload breaks its schema, then building and parsing both refuse it', () => {
    expect(() =>
      buildEvent('PaymentRecorded', { tenant_id: 't', data: { ...payment, amount_minor: 10.5 } }),
    ).toThrow();
    const event = buildEvent('PaymentRecorded', { tenant_id: 't', data: payment });
    expect(() => parseEvent({ ...event, data: { ...payment, amount_minor: -1 } })).toThrow();
    expect(() => parseEvent({ ...event, type: 'Nope' })).toThrow();
    expect(() => parseEvent({ ...event, id: 'not-a-uuid' })).toThrow();
  });

  test('when a subscription credit is returned, then it is a billing event keyed by the subscription', () => {
    const data = {
      subscription_id: 'sub_1',
      credit_note_id: 'cn_1',
      invoice_id: 'inv_1',
      amount_minor: 2667,
      currency: 'USD',
    };
    const event = buildEvent('SubscriptionCreditReturned', { tenant_id: 'ten_p', data });
    expect(parseEvent(JSON.parse(JSON.stringify(event))).data).toEqual(data);
    expect(eventKey(event)).toBe('sub_1');
    expect(topicOf('SubscriptionCreditReturned')).toBe('ledgerline.billing');
    expect(() =>
      buildEvent('SubscriptionCreditReturned', {
        tenant_id: 't',
        data: { ...data, amount_minor: 0 },
      }),
    ).toThrow();
  });
});
