import type { Shape } from './shape';
import type { Step } from './runner';
import { ACME_OWNER } from './walk-platform';

const BALANCE: Shape = {
  credits: 'int',
  plan_credits_per_month: 'int',
  credits_used_this_month: 'int',
  credits_remaining: 'int',
};

const today = () => new Date().toISOString().slice(0, 10);

/** Seed 000, as Acme's owner: the tenant's own account with the platform. */
export const ACCOUNT: Step[] = [
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/credits/balance/balance/',
    as: 'acme',
    // the plan's 100 monthly credits are granted from the tenants service's plan event
    until: (a) => a.body?.data?.credits === 100,
    status: 200,
    then: "the plan's monthly credits are the balance",
    shape: BALANCE,
    check: (data) =>
      expect(data).toEqual({
        credits: 100,
        plan_credits_per_month: 100,
        credits_used_this_month: 0,
        credits_remaining: 100,
      }),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/transactions/',
    as: 'acme',
    status: 200,
    then: 'the grant is the first credit transaction',
    shape: {
      results: [
        {
          id: 'string',
          amount: 'int',
          transaction_type: 'string',
          description: 'string',
          created_at: 'datetime',
          balance_after: 'int',
        },
      ],
      count: 'int',
    },
    check: (data) => {
      expect(data.count).toBe(1);
      expect(data.results[0]).toMatchObject({
        amount: 100,
        transaction_type: 'grant',
        balance_after: 100,
      });
    },
  },
  {
    seed: '000',
    method: 'POST',
    path: '/v1/billing/credits/usage/',
    as: 'acme',
    extra: "the seed's usage log needs credits used",
    body: { operation_type: 'clustering', credits: 10 },
    status: 201,
    then: 'ten credits are deducted',
    check: (data) =>
      expect(data.transaction).toMatchObject({ amount: -10, transaction_type: 'deduction' }),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/credits/usage/',
    as: 'acme',
    status: 200,
    then: "the usage log is the seed's example: 10 credits, cost_usd 0.10",
    shape: {
      results: [
        {
          id: 'string',
          operation_type: 'string',
          credits_used: 'int',
          cost_usd: 'money',
          created_at: 'datetime',
        },
      ],
      count: 'int',
    },
    check: (data) =>
      expect(data.results).toEqual([
        expect.objectContaining({
          operation_type: 'clustering',
          credits_used: 10,
          cost_usd: '0.10',
        }),
      ]),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/invoices/',
    as: 'acme',
    // the platform invoices the first period when it learns of the subscription
    // the page, not the count (read at once with it: an insert between them counts a row unlisted)
    until: (a) => (a.body?.data?.results?.length ?? 0) >= 1,
    status: 200,
    then: "the plan's 29.00 invoice is listed unpaid",
    shape: {
      results: [
        {
          id: 'string',
          invoice_number: 'string',
          status: 'string',
          total_amount: 'money',
          created_at: 'datetime',
        },
      ],
      count: 'int',
    },
    check: (data) =>
      expect(data.results).toEqual([
        expect.objectContaining({
          status: 'unpaid',
          total_amount: '29.00',
          invoice_number: expect.stringMatching(/^INV-\d{6}$/),
        }),
      ]),
    save: (data, ctx) => {
      ctx.ids.planInvoice = data.results[0].id;
    },
  },
  {
    seed: '000',
    method: 'POST',
    path: '/v1/billing/payments/',
    as: 'acme',
    extra: "the seed's payment list needs a payment",
    headers: { 'Idempotency-Key': 'seed-walk-plan-invoice' },
    body: (ctx) => ({ invoice_id: ctx.ids.planInvoice, payment_method: 'stripe' }),
    status: 201,
    then: 'the plan invoice is paid in full',
    check: (data) =>
      expect(data).toMatchObject({
        amount: '29.00',
        status: 'succeeded',
        payment_method: 'stripe',
      }),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/payments/',
    as: 'acme',
    status: 200,
    then: "the payment is the seed's example: 29.00, succeeded, stripe",
    shape: {
      results: [
        {
          id: 'string',
          amount: 'money',
          status: 'string',
          payment_method: 'string',
          created_at: 'datetime',
        },
      ],
      count: 'int',
    },
    check: (data) =>
      expect(data.results).toEqual([
        expect.objectContaining({
          amount: '29.00',
          status: 'succeeded',
          payment_method: 'stripe',
        }),
      ]),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/payment-methods/',
    as: 'acme',
    status: 200,
    then: 'the card method is listed enabled as "Credit/Debit Card"',
    shape: {
      results: [{ payment_method: 'string', display_name: 'string', is_enabled: 'boolean' }],
    },
    check: (data) =>
      expect(data.results).toContainEqual({
        payment_method: 'stripe',
        display_name: 'Credit/Debit Card',
        is_enabled: true,
      }),
  },
  {
    seed: '000',
    method: 'POST',
    path: '/v1/billing/credit-packages/',
    as: 'admin',
    extra: 'the platform admin sells the seed\'s "Starter Pack"',
    body: { name: 'Starter Pack', credits: 500, price: '9.00' },
    status: 201,
    then: 'the package is on sale',
    save: (data, ctx) => {
      ctx.ids.starterPack = data.id;
    },
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/credit-packages/',
    as: 'acme',
    status: 200,
    then: "the seed's Starter Pack is listed with its credits and price",
    shape: {
      results: [
        { id: 'string', name: 'string', credits: 'int', price: 'money', is_active: 'boolean' },
      ],
      count: 'int',
    },
    check: (data, ctx) =>
      expect(data.results).toContainEqual(
        expect.objectContaining({
          id: ctx.ids.starterPack,
          name: 'Starter Pack',
          credits: 500,
          price: '9.00',
          is_active: true,
        }),
      ),
  },
  {
    seed: '000',
    method: 'POST',
    path: '/v1/billing/credit-packages/{starterPack}/purchase/',
    as: 'acme',
    status: 201,
    then: "the purchase is the platform's 9.00 invoice, credits pending until it is paid",
    check: (data, ctx) =>
      expect(data).toMatchObject({
        package_id: ctx.ids.starterPack,
        credits: 500,
        price: '9.00',
        status: 'pending',
        invoice: { status: 'unpaid', total_amount: '9.00' },
      }),
    save: (data, ctx) => {
      ctx.ids.packInvoice = data.invoice_id;
    },
  },
  {
    seed: '000',
    method: 'POST',
    path: '/v1/billing/payments/',
    as: 'acme',
    extra: 'paying the purchase grants its credits',
    headers: { 'Idempotency-Key': 'seed-walk-pack-invoice' },
    body: (ctx) => ({ invoice_id: ctx.ids.packInvoice, payment_method: 'stripe' }),
    status: 201,
    then: 'the purchase invoice is paid',
    check: (data) => expect(data).toMatchObject({ amount: '9.00', status: 'succeeded' }),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/billing/credits/balance/balance/',
    as: 'acme',
    until: (a) => a.body?.data?.credits === 590,
    status: 200,
    then: 'the balance is 100 granted - 10 used + 500 bought',
    shape: BALANCE,
    check: (data) =>
      expect(data).toEqual({
        credits: 590,
        plan_credits_per_month: 100,
        credits_used_this_month: 10,
        credits_remaining: 590,
      }),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/account/settings/',
    as: 'acme',
    // auth follows the credit balance from billing's events
    until: (a) => a.body?.data?.credit_balance === 590,
    status: 200,
    then: 'the account is Acme with its credit balance',
    shape: {
      id: 'string',
      name: 'string',
      slug: 'string',
      billing_address_line1: 'string|null',
      billing_city: 'string|null',
      credit_balance: 'int',
      created_at: 'datetime',
    },
    check: (data, ctx) =>
      expect(data).toMatchObject({
        id: ctx.ids.acme,
        name: 'Acme Corp',
        slug: 'acme',
        credit_balance: 590,
      }),
  },
  {
    seed: '000',
    method: 'PATCH',
    path: '/v1/account/settings/',
    as: 'acme',
    body: { name: 'Updated Account Name', billing_address_line1: '456 New St' },
    status: 200,
    then: 'the fields sent read back',
    check: (data, ctx) =>
      expect(data).toMatchObject({
        id: ctx.ids.acme,
        name: 'Updated Account Name',
        billing_address_line1: '456 New St',
      }),
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/account/team/',
    as: 'acme',
    status: 200,
    then: "the owner is the seed's John Doe",
    shape: {
      results: [
        {
          id: 'string',
          email: 'string',
          first_name: 'string|null',
          last_name: 'string|null',
          is_active: 'boolean',
          is_staff: 'boolean',
          date_joined: 'datetime|null',
        },
      ],
      count: 'int',
    },
    check: (data) =>
      expect(data.results).toEqual([
        expect.objectContaining({
          email: ACME_OWNER.email,
          first_name: 'John',
          last_name: 'Doe',
          is_active: true,
        }),
      ]),
  },
  {
    seed: '000',
    method: 'POST',
    path: '/v1/account/team/',
    as: 'acme',
    body: { email: 'user@example.com' },
    status: 201,
    then: 'the invited member waits for acceptance',
    shape: { member: { id: 'string', email: 'string', is_active: 'boolean' } },
    check: (data) =>
      expect(data.member).toMatchObject({ email: 'user@example.com', is_active: false }),
    save: (data, ctx) => {
      ctx.ids.invited = data.member.id;
    },
  },
  {
    seed: '000',
    method: 'DELETE',
    path: '/v1/account/team/{invited}/',
    as: 'acme',
    status: 200,
    then: 'the pending invitation is revoked',
  },
  {
    seed: '000',
    method: 'GET',
    path: '/v1/account/usage/analytics/?days=30',
    as: 'acme',
    status: 200,
    then: 'the 30 days add up: 10 used, 500 bought, 590 left',
    shape: {
      period_days: 'int',
      current_balance: 'int',
      usage_by_type: [{ transaction_type: 'string', total: 'int', count: 'int' }],
      daily_usage: [{ date: 'date', usage: 'int', purchases: 'int', net: 'int' }],
      total_usage: 'int',
      total_purchases: 'int',
    },
    check: (data) => {
      expect(data).toMatchObject({
        period_days: 30,
        current_balance: 590,
        total_usage: 10,
        total_purchases: 500,
      });
      expect(data.usage_by_type).toContainEqual({
        transaction_type: 'deduction',
        total: -10,
        count: 1,
      });
      expect(data.daily_usage).toHaveLength(30);
      expect(data.daily_usage.at(-1)).toMatchObject({ date: today(), usage: 10, purchases: 500 });
    },
  },
];
