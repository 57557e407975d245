import { setTimeout as sleep } from 'node:timers/promises';
import { totalsSweeper } from './totals-sweeper';

/** Waits until `done` holds (a few seconds at most). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await sleep(10);
  expect(done()).toBe(true);
}

describe('totalsSweeper', () => {
  it('when a customer is marked many times during its refresh, then it is refreshed once more, not once per mark', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sweeper = totalsSweeper({
      refresh: async (_tenant, customer) => {
        calls.push(customer);
        if (calls.length === 1) await gate;
        return false;
      },
      findStale: async () => [],
      minGapMs: 5,
    });
    sweeper.stale('t1', 'c1');
    await until(() => calls.length === 1);
    for (let i = 0; i < 50; i++) sweeper.stale('t1', 'c1');
    release();
    await until(() => calls.length === 2 && sweeper.pending() === 0);
    await sleep(50);
    expect(calls).toEqual(['c1', 'c1']);
    await sweeper.stop();
  });

  it('when a refresh answers still stale or fails, then the customer is refreshed again', async () => {
    const answers: (boolean | Error)[] = [true, new Error('store down'), false];
    let calls = 0;
    const sweeper = totalsSweeper({
      refresh: async () => {
        const answer = answers[calls++]!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      findStale: async () => [],
      minGapMs: 5,
    });
    sweeper.stale('t1', 'c1');
    await until(() => calls === 3 && sweeper.pending() === 0);
    await sweeper.stop();
  });

  it('when it starts, then the customers stored as stale are refreshed', async () => {
    const refreshed: string[] = [];
    const sweeper = totalsSweeper({
      refresh: async (tenant, customer) => {
        refreshed.push(`${tenant}/${customer}`);
        return false;
      },
      findStale: async () => [
        { tenantId: 't1', customerId: 'c1' },
        { tenantId: 't2', customerId: 'c2' },
      ],
      minGapMs: 5,
    });
    sweeper.start();
    await until(() => refreshed.length === 2);
    expect(refreshed.sort()).toEqual(['t1/c1', 't2/c2']);
    await sweeper.stop();
  });
});
