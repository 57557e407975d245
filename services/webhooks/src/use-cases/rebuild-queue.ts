import type { WebhooksDeps } from './deps';

/**
 * Puts every pending delivery back in the queue unless it is there already (an entry that is
 * there keeps its due time). The deliveries are written before their entries (enqueue.ts,
 * retryDelivery), so a crash between the two can leave a pending delivery no entry names; this
 * finds it. It reads the whole log (a scan), so it runs at start and every 15 minutes, never on
 * the hot path.
 */
export async function rebuildQueue(
  deps: Pick<WebhooksDeps, 'deliveries' | 'queue'>,
): Promise<number> {
  const pending = await deps.deliveries.pendingKeys();
  if (pending.length === 0) return 0;
  const before = await deps.queue.model.countDocuments({});
  await deps.queue.add(
    pending.map((d) => ({
      _id: d._id,
      tenant_id: d.tenant_id,
      endpoint_id: d.endpoint_id,
      due_at: d.next_attempt_at ?? new Date(),
    })),
  );
  return (await deps.queue.model.countDocuments({})) - before;
}
