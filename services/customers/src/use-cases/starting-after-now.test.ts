import { startingAfterNow } from './projection';

/** Calls that record when they started and finish when told. */
function gatedCalls() {
  const started: number[] = [];
  const gates: (() => void)[] = [];
  let count = 0;
  const fn = () => {
    started.push(++count);
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  return { started, gates, fn };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('startingAfterNow', () => {
  it('when callers arrive while a call runs, then they share one new call after it', async () => {
    const { started, gates, fn } = gatedCalls();
    const first = startingAfterNow('k1', fn);
    await tick();
    expect(started).toEqual([1]);
    // these came after the first call started: they need another one
    const second = startingAfterNow('k1', fn);
    const third = startingAfterNow('k1', fn);
    await tick();
    expect(started).toEqual([1]);
    gates[0]!();
    await first;
    await tick();
    expect(started).toEqual([1, 2]);
    gates[1]!();
    await Promise.all([second, third]);
    expect(started).toEqual([1, 2]);
  });

  it('when a call fails, then every caller that shared it gets the error', async () => {
    const failing = () => Promise.reject(new Error('store down'));
    const a = startingAfterNow('k2', failing);
    const b = startingAfterNow('k2', failing);
    await expect(a).rejects.toThrow('store down');
    await expect(b).rejects.toThrow('store down');
    // the next caller is not blocked by the failure
    await expect(startingAfterNow('k2', () => Promise.resolve())).resolves.toBeUndefined();
  });

  it('when keys differ, then their calls run independently', async () => {
    const { started, gates, fn } = gatedCalls();
    const a = startingAfterNow('k3', fn);
    const b = startingAfterNow('k4', fn);
    await tick();
    expect(started).toEqual([1, 2]);
    gates.forEach((open) => open());
    await Promise.all([a, b]);
  });
});
