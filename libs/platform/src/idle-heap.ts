import { performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { Logger } from './logger';

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** V8's `gc` function, made available once without `--expose-gc` on the command line. */
let gcFunction: GcFunction | undefined;
function lastResortGc(): GcFunction {
  if (!gcFunction) {
    // the flag only adds `gc` to contexts created after it is set: the process's own global stays
    // without it, and the function is taken from a throwaway context
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as GcFunction;
  }
  return gcFunction;
}

const MIB = 1024 * 1024;

/** How often a service checks for idleness unless IDLE_HEAP_CHECK_MS says otherwise. */
export const DEFAULT_IDLE_HEAP_CHECK_MS = 5000;

/**
 * How long a process that has served load must be at rest before its heap is reduced again, unless
 * IDLE_HEAP_REST_MS says otherwise.
 */
export const DEFAULT_IDLE_HEAP_REST_MS = 60_000;

/** The committed size of V8's young generation (its two semi-spaces), in bytes. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

export interface IdleHeapOptions {
  /** How often the event loop's utilisation is sampled. */
  checkMs: number;
  /**
   * After the first reduction, how long the process must have been at rest (idle on average over
   * the whole span) before it is reduced again; whole `checkMs` intervals. Default: 60 s.
   */
  restMs?: number;
  /** At or below this share of the interval busy, the process counts as idle (0.02 = 2 %). */
  idleUtilisation?: number;
  /** A young generation committed at or below this is left alone. */
  youngFloorBytes?: number;
  /**
   * After a rest, the process is also reduced when its resident memory grew by more than this
   * since the last reduction (the old space a load left behind), whatever its young generation.
   */
  rssGrowthBytes?: number;
}

/**
 * Gives back to the system the heap a process no longer needs once it has gone idle.
 *
 * Why: V8 sizes its young generation by how much of it survives a scavenge, and a start-up
 * (every module loaded, connections and schemas built: nearly everything survives) grows it to
 * its maximum, 2 x 32 MiB on this 24 GiB machine. V8 only shrinks it again in a memory-reducing
 * collection, which an idle service with timers (Kafka heartbeats, relays, health checks) rarely
 * gets, so each process kept 30-60 MiB of empty young generation at rest. Measured on
 * `@ledgerline/platform` alone: 128 MiB resident before, 92 MiB after one such collection.
 *
 * How: every `checkMs` the event loop's utilisation over the interval is read. The first whole
 * interval idle, with the young generation above the floor, runs one last-resort collection (the
 * one V8 runs under memory pressure: full, compacting, new space shrunk): that gives back what the
 * start-up grew. Later ones need the process busy in between and then `restMs` at rest (the
 * event loop at most `idleUtilisation` busy over the whole rest as well as over the last
 * interval), and something to give back: a young generation above the floor, or resident memory
 * grown by more than `rssGrowthBytes` since the last reduction (V8 may have shrunk the young
 * generation itself meanwhile, leaving the old space a load grew). A process at rest pays at
 * most one collection per rest. The pause lands on an idle process by construction; under load
 * the young generation grows back as V8 decides, and nothing here runs.
 *
 * Why the longer rest after load: the collection stalls the event loop (0.1-0.4 s measured in
 * the services) and the young generation it shrinks has to grow back under the next burst of
 * requests. Reduced after every 5 s pause between bursts, the gateway spent 0.7-0.9 s of CPU per
 * reduction (docs/benchmarks.md, issue 19's fourteenth pass), and a client polling every few
 * seconds would have met the stall on its polls.
 */
export function startIdleHeapReducer(opts: IdleHeapOptions, logger?: Logger): () => void {
  const idleUtilisation = opts.idleUtilisation ?? 0.02;
  const floor = opts.youngFloorBytes ?? 8 * MIB;
  const rssGrowth = opts.rssGrowthBytes ?? 8 * MIB;
  const restMs = opts.restMs ?? DEFAULT_IDLE_HEAP_REST_MS;
  const restIntervals = Math.max(1, Math.ceil(restMs / opts.checkMs));
  let last = performance.eventLoopUtilization();
  /** The utilisation counters at each check, oldest first, as far back as the rest reaches. */
  const history = [last];
  let reducedSinceBusy = false;
  let startUpDone = false;
  let rssAfterLast = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const utilisation = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    history.push(now);
    if (history.length > restIntervals + 1) history.shift();
    if (utilisation > idleUtilisation) {
      reducedSinceBusy = false;
      return;
    }
    if (reducedSinceBusy) return;
    // one decision per idle spell: reduced now, or nothing to give back until busy again
    if (!startUpDone) {
      // the first idle interval: what the start-up grew
      startUpDone = true;
      reducedSinceBusy = true;
      if (youngGenerationBytes() <= floor) {
        rssAfterLast = process.memoryUsage.rss();
        return;
      }
    } else {
      // afterwards only once the whole rest was idle on average (a timer's brief work in it does
      // not count as a burst of requests), and only if the load left something to give back
      const rested =
        history.length > restIntervals &&
        performance.eventLoopUtilization(now, history[0]).utilization <= idleUtilisation;
      if (!rested) return;
      reducedSinceBusy = true;
      const grown = process.memoryUsage.rss() - rssAfterLast;
      if (youngGenerationBytes() <= floor && grown <= rssGrowth) return;
    }
    const before = process.memoryUsage.rss();
    const started = performance.now();
    lastResortGc()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    rssAfterLast = process.memoryUsage.rss();
    logger?.debug(
      {
        rssBeforeMiB: Math.round(before / MIB),
        rssAfterMiB: Math.round(rssAfterLast / MIB),
        pauseMs: Math.round(performance.now() - started),
      },
      'idle: heap reduced',
    );
    // the collection itself counted as busy time: the next interval starts after it
    last = performance.eventLoopUtilization();
  }, opts.checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
