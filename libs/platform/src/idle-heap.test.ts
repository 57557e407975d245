import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startIdleHeapReducer, youngGenerationBytes } from './idle-heap';

const MIB = 1024 * 1024;

/** Busy for a while, allocating objects that survive scavenges: V8 grows its young generation. */
function busyGrowingYoungGeneration(): void {
  let kept: { i: number }[] | null = [];
  for (let i = 0; i < 2_000_000; i++) kept.push({ i });
  kept = null;
}

function collectingLogger() {
  const reductions: { rssBeforeMiB: number; rssAfterMiB: number; pauseMs: number }[] = [];
  const logger = {
    debug: (fields: (typeof reductions)[number], msg: string) => {
      if (msg === 'idle: heap reduced') reductions.push(fields);
    },
  };
  return { reductions, logger: logger as never };
}

describe('startIdleHeapReducer', () => {
  test('when the process goes idle with a grown young generation, then one collection gives it back, and again only after the process was busy and then rested', async () => {
    busyGrowingYoungGeneration();
    expect(youngGenerationBytes()).toBeGreaterThan(8 * MIB);
    const { reductions, logger } = collectingLogger();
    const stop = startIdleHeapReducer(
      { checkMs: 50, restMs: 1500, youngFloorBytes: 8 * MIB },
      logger,
    );
    try {
      // the first idle interval gives back what the start-up grew
      await sleep(400);
      expect(reductions).toHaveLength(1);
      expect(youngGenerationBytes()).toBeLessThanOrEqual(8 * MIB);
      expect(reductions[0]!.rssAfterMiB).toBeLessThan(reductions[0]!.rssBeforeMiB);

      // still idle: nothing more to give back, nothing runs
      await sleep(300);
      expect(reductions).toHaveLength(1);

      // busy again, then a pause shorter than the rest: the young generation is kept
      busyGrowingYoungGeneration();
      expect(youngGenerationBytes()).toBeGreaterThan(8 * MIB);
      await sleep(400);
      expect(reductions).toHaveLength(1);
      expect(youngGenerationBytes()).toBeGreaterThan(8 * MIB);

      // a timer's brief work within the rest does not restart it: given back once the rest that
      // began with the pause is over (before a rest from the blip on would be)
      const blipUntil = performance.now() + 5;
      while (performance.now() < blipUntil);
      await sleep(1400);
      expect(reductions).toHaveLength(2);
      expect(youngGenerationBytes()).toBeLessThanOrEqual(8 * MIB);
    } finally {
      stop();
    }
  });

  test('when a load leaves old space behind with the young generation within the floor, then the grown memory is given back after the rest', async () => {
    const { reductions, logger } = collectingLogger();
    const stop = startIdleHeapReducer(
      { checkMs: 50, restMs: 300, youngFloorBytes: 1024 * MIB, rssGrowthBytes: 8 * MIB },
      logger,
    );
    try {
      await sleep(150); // the start-up's turn: nothing above the floor, nothing done
      expect(reductions).toHaveLength(0);

      // a load whose objects lived long enough to reach the old space, then were let go
      let kept: { i: number; name: string }[] | null = [];
      for (let i = 0; i < 600_000; i++) kept.push({ i, name: `item ${i}` });
      kept = null;
      await sleep(100);
      expect(reductions).toHaveLength(0); // not rested yet

      await sleep(600);
      expect(reductions).toHaveLength(1);
      expect(reductions[0]!.rssAfterMiB).toBeLessThan(reductions[0]!.rssBeforeMiB);
    } finally {
      stop();
    }
  });

  test('when the young generation is within the floor, then no collection runs', async () => {
    busyGrowingYoungGeneration();
    const { reductions, logger } = collectingLogger();
    const stop = startIdleHeapReducer({ checkMs: 50, youngFloorBytes: 1024 * MIB }, logger);
    try {
      await sleep(300);
      expect(reductions).toHaveLength(0);
    } finally {
      stop();
    }
  });
});
