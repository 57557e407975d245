import { setTimeout as sleep } from 'node:timers/promises';
import { everyInterval } from './periodic';

describe('everyInterval', () => {
  test('when a run outlasts the interval, then the ticks meanwhile are skipped: never two runs at once', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const stop = everyInterval(
      10,
      async () => {
        running++;
        most = Math.max(most, running);
        await sleep(45);
        running--;
        runs++;
      },
      { failure: 'test run failed' },
    );
    await sleep(200);
    await stop();
    expect(most).toBe(1);
    // about 200 / 45 runs, far fewer than the 20 ticks
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(5);
  });

  test('when a run fails, then it is logged and the next tick runs again; the stop waits for a run under way', async () => {
    const warned: string[] = [];
    const logger = { warn: (_o: object, msg: string) => warned.push(msg) };
    let attempts = 0;
    let finished = false;
    const stop = everyInterval(
      10,
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('boom');
        await sleep(30);
        finished = true;
      },
      { logger: logger as never, failure: 'sweep failed', runNow: true },
    );
    await sleep(25);
    await stop();
    expect(warned).toEqual(['sweep failed']);
    expect(attempts).toBe(2);
    expect(finished).toBe(true);
  });
});
