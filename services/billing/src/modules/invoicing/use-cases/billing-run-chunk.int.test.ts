import { billableDetail } from '../../../test-support/billable-detail';
import { realInvoicingDeps } from '../../../test-support/invoicing-deps';
import { onRealStores } from '../../../../../../test/support/real-stores';
import type { DetailFact } from '../store/entitlements';
import { autoInvoiceId } from './auto-generate';
import { autoGenerateChunk } from './run-chunk-invoices';
import type { Caller, InvoicingDeps } from './invoices';
import type { EventEnvelope } from '@ledgerline/contracts';

const JANUARY = { start: '2025-01-01', end: '2025-01-31' };

jest.setTimeout(120_000);

/**
 * A billing run's chunk on the real database and locks: the insert, not a read beforehand, tells
 * which invoices exist, so these are the cases where it must still number only the new ones.
 */
describe('billing run chunk on the real database', () => {
  let deps: InvoicingDeps;

  onRealStores('runchunk', ({ mongo, locks }) => {
    deps = realInvoicingDeps(mongo, locks);
  });

  /** A tenant with `n` entitlements, one row each: 10 Mbps at 20.00 USD/month from 2025-01-01. */
  async function tenantWith(n: number): Promise<{ caller: Caller; entitlements: string[] }> {
    const tenantId = `ten_${Math.random().toString(36).slice(2)}`;
    const entitlements = Array.from({ length: n }, (_, i) => `ent_${String(i).padStart(3, '0')}`);
    for (const [i, entitlementId] of entitlements.entries()) {
      const row = {
        ...billableDetail({ detail_id: `end_${i}`, end_date: null }),
        _id: `${tenantId}:end_${i}`,
        tenant_id: tenantId,
        revision: 1,
        deleted: false,
        entitlement_id: entitlementId,
        customer_id: 'cus_1',
        bill_number: `B-${i}`,
        package_pricing_id: null,
      } as DetailFact;
      await deps.projection!.putDetail(row);
    }
    return { caller: { tenantId, userId: 'usr_1', correlationId: 'corr_1' }, entitlements };
  }

  const chunk = (entitlement_ids: string[], runId: string) => ({
    entitlement_ids,
    period: JANUARY,
    issue: true,
    runId,
  });

  async function numbersOf(tenantId: string) {
    const invoices = await deps.invoices.model
      .find({ tenant_id: tenantId }, { number_seq: 1, total_minor: 1, _outbox: 1 })
      .lean();
    return {
      numbers: invoices.map((i) => i.number_seq).sort((a, b) => (a ?? 0) - (b ?? 0)),
      totals: [...new Set(invoices.map((i) => i.total_minor))],
      events: invoices.map((i) => i._outbox.map((e) => e.type).join()),
      counter: await deps.invoices.lastNumber(tenantId),
    };
  }

  test('when a chunk overlaps invoices made before (by this run and outside it), then only the new ones are made, numbered next without a gap', async () => {
    const { caller, entitlements } = await tenantWith(12);
    const first = await autoGenerateChunk(deps, caller, chunk(entitlements.slice(0, 6), 'brun_1'));
    expect([...first.values()]).toEqual(Array(6).fill('generated'));
    // ent_008 billed for January by another run
    await autoGenerateChunk(deps, caller, chunk(['ent_008'], 'brun_0'));

    // this time from the tenant's rows read once, as a worker reads a run's
    const rows = await deps.projection!.detailsOfTenant(caller.tenantId);
    const again = await autoGenerateChunk(deps, caller, {
      ...chunk(entitlements.slice(3), 'brun_1'),
      detailsOf: async (ids) => new Map(ids.map((id) => [id, rows.get(id) ?? []])),
    });

    expect(Object.fromEntries(again)).toEqual({
      ent_003: 'generated',
      ent_004: 'generated',
      ent_005: 'generated',
      ent_006: 'generated',
      ent_007: 'generated',
      ent_008: 'skipped',
      ent_009: 'generated',
      ent_010: 'generated',
      ent_011: 'generated',
    });
    expect(await numbersOf(caller.tenantId)).toEqual({
      numbers: Array.from({ length: 12 }, (_, i) => i + 1),
      totals: [20_000],
      events: Array(12).fill('InvoiceCreated'),
      counter: 12,
    });
  });

  test('when a crash left a chunk written but the counter behind and the chunk comes again, then nothing is made twice and the counter follows the invoices', async () => {
    const { caller, entitlements } = await tenantWith(5);
    await autoGenerateChunk(deps, caller, chunk(entitlements, 'brun_2'));
    // the process died between the insert and the counter's write
    await deps.invoices.setLastNumber(caller.tenantId, 0);

    const redelivered = await autoGenerateChunk(deps, caller, chunk(entitlements, 'brun_2'));

    expect([...redelivered.values()]).toEqual(Array(5).fill('generated'));
    expect(await numbersOf(caller.tenantId)).toMatchObject({
      numbers: [1, 2, 3, 4, 5],
      counter: 5,
    });
    // the next invoice of the tenant takes the next number
    await deps.projection!.putDetail({
      ...(await deps.projection!.details.findById(`${caller.tenantId}:end_0`).lean<DetailFact>())!,
      _id: `${caller.tenantId}:end_new`,
      detail_id: 'end_new',
      entitlement_id: 'ent_new',
    });
    await autoGenerateChunk(deps, caller, chunk(['ent_new'], 'brun_3'));
    expect((await numbersOf(caller.tenantId)).numbers).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('when an entitlement billed before has no rows any more, then a chunk counts it as billed, not as an error', async () => {
    const { caller, entitlements } = await tenantWith(3);
    await autoGenerateChunk(deps, caller, chunk(entitlements, 'brun_4'));
    await deps.projection!.details.updateOne(
      { _id: `${caller.tenantId}:end_1` },
      { $set: { deleted: true, revision: 2 } },
    );

    const again = await autoGenerateChunk(deps, caller, chunk(entitlements, 'brun_4'));

    expect(Object.fromEntries(again)).toEqual({
      ent_000: 'generated',
      ent_001: 'generated',
      ent_002: 'generated',
    });
    expect(
      await deps.invoices.findById(
        caller.tenantId,
        autoInvoiceId(caller.tenantId, 'ent_001', JANUARY),
      ),
    ).toMatchObject({ number_seq: 2, billing_run_id: 'brun_4' });
  });

  describe('when the chunk publishes its own events (a chunk command redone until it returns)', () => {
    const published: EventEnvelope[] = [];
    let failNext = false;
    const publishing = (): InvoicingDeps => ({
      ...deps,
      publishNow: async (events) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('broker away'), { name: 'KafkaJSConnectionError' });
        }
        published.push(...events);
      },
    });
    const own = (runId: string, ids: string[]) => ({
      ...chunk(ids, runId),
      publishItself: true,
    });

    test('then its invoices hold no outbox for the relay and each InvoiceCreated leaves once from the chunk', async () => {
      const { caller, entitlements } = await tenantWith(4);
      published.length = 0;

      await autoGenerateChunk(publishing(), caller, own('brun_5', entitlements));

      const stored = await deps.invoices.model
        .find({ tenant_id: caller.tenantId }, { _outbox: 1, _outbox_pending: 1 })
        .lean();
      expect(stored.map((i) => [i._outbox.length, i._outbox_pending])).toEqual(
        Array(4).fill([0, false]),
      );
      expect(published.map((e) => e.type)).toEqual(Array(4).fill('InvoiceCreated'));
      expect(
        new Set(published.map((e) => (e.data as { invoice_id: string }).invoice_id)).size,
      ).toBe(4);
    });

    test('then a chunk whose publish failed after its insert publishes the same events (same ids) when it comes again, and makes nothing twice', async () => {
      const { caller, entitlements } = await tenantWith(3);
      published.length = 0;
      // a first try that wrote a prefix of the block earlier (one invoice), then this one fails
      await autoGenerateChunk(publishing(), caller, own('brun_6', entitlements.slice(0, 1)));
      const first = published.splice(0);
      failNext = true;
      await expect(
        autoGenerateChunk(publishing(), caller, own('brun_6', entitlements)),
      ).rejects.toThrow('broker away');
      expect(published).toEqual([]);

      const again = await autoGenerateChunk(publishing(), caller, own('brun_6', entitlements));

      expect([...again.values()]).toEqual(Array(3).fill('generated'));
      expect(published.map((e) => e.type)).toEqual(Array(3).fill('InvoiceCreated'));
      // the invoice of the first try: its event again, under the id it was first published with
      expect(published.map((e) => e.id)).toContain(first[0]!.id);
      expect((await numbersOf(caller.tenantId)).numbers).toEqual([1, 2, 3]);
    });
  });
});
