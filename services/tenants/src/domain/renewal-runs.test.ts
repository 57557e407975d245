import {
  addPage,
  EMPTY_COUNTERS,
  finishedStatus,
  MAX_RUN_ERRORS,
  type SubscriptionOutcome,
} from './renewal-runs';

describe("a provider's renewal run counters", () => {
  test('when a page has subscriptions not due, renewed, caught up twice and failed, then each counter adds exactly its part', () => {
    const page: SubscriptionOutcome[] = [
      { subscription_id: 'sub_a', due: false },
      { subscription_id: 'sub_b', due: true, renewed: 1 },
      { subscription_id: 'sub_c', due: true, renewed: 2 },
      // renewed meanwhile by the sweep: due when the page was read, nothing left for the run
      { subscription_id: 'sub_d', due: true, renewed: 0 },
      { subscription_id: 'sub_e', due: true, error: 'The resource is busy' },
    ];
    expect(addPage(EMPTY_COUNTERS, page)).toEqual({
      subscriptions_done: 5,
      due: 4,
      renewed: 3,
      failed: 1,
      failures: [{ subscription_id: 'sub_e', message: 'The resource is busy' }],
    });
  });

  test('when a second page is added to saved counters, then the totals continue and the saved ones are not changed', () => {
    const saved = {
      subscriptions_done: 100,
      due: 30,
      renewed: 31,
      failed: 1,
      failures: [{ subscription_id: 'sub_x', message: 'lost' }],
    };
    const next = addPage(saved, [
      { subscription_id: 'sub_y', due: true, renewed: 1 },
      { subscription_id: 'sub_z', due: true, error: 'again' },
    ]);
    expect(next).toEqual({
      subscriptions_done: 102,
      due: 32,
      renewed: 32,
      failed: 2,
      failures: [
        { subscription_id: 'sub_x', message: 'lost' },
        { subscription_id: 'sub_z', message: 'again' },
      ],
    });
    expect(saved.failures).toHaveLength(1);
  });

  test('when an empty page is added (the last read found nothing more), then nothing changes', () => {
    expect(addPage(EMPTY_COUNTERS, [])).toEqual(EMPTY_COUNTERS);
  });

  test('when more subscriptions fail than a run keeps errors for, then every one is counted and the first 50 are kept', () => {
    const page: SubscriptionOutcome[] = Array.from({ length: 60 }, (_, i) => ({
      subscription_id: `sub_${i}`,
      due: true,
      error: 'failed',
    }));
    const counters = addPage(EMPTY_COUNTERS, page);
    expect(MAX_RUN_ERRORS).toBe(50);
    expect([counters.failed, counters.failures.length]).toEqual([60, 50]);
    expect(counters.failures.at(-1)).toEqual({ subscription_id: 'sub_49', message: 'failed' });
  });

  test('when a run finishes, then it is completed without failures and completed_with_errors with any', () => {
    expect(finishedStatus({ failed: 0 })).toBe('completed');
    expect(finishedStatus({ failed: 1 })).toBe('completed_with_errors');
  });
});
