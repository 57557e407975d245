import type { Logger } from './logger';

/**
 * Runs `task` every `intervalMs` in the background (a sweep, a periodic check), never two at once:
 * a tick that finds the previous run still going is skipped, so a slow sweep is not joined by more
 * copies of itself doing the same work. A failed run is logged and retried at the next tick.
 * Answers the stop, which waits for a run in progress.
 */
export function everyInterval(
  intervalMs: number,
  task: () => Promise<unknown>,
  opts: {
    /** Where a failed run is logged (nowhere without one). */
    logger?: Logger;
    failure: string;
    /** Run once at the start too (otherwise the first run is after one interval). */
    runNow?: boolean;
    /**
     * The first run after a random part of the interval, so a fleet started together does not
     * run at once (pruning).
     */
    spreadStart?: boolean;
  },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = task()
      .then(
        () => undefined,
        (err: unknown) => opts.logger?.warn({ err }, opts.failure),
      )
      .finally(() => {
        running = null;
      });
  };
  if (opts.runNow) tick();
  const first = opts.spreadStart
    ? setTimeout(tick, Math.floor(Math.random() * intervalMs))
    : undefined;
  first?.unref();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
