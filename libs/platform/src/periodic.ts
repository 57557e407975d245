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
  opts: { logger: Logger; failure: string; runNow?: boolean },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = task()
      .then(
        () => undefined,
        (err: unknown) => opts.logger.warn({ err }, opts.failure),
      )
      .finally(() => {
        running = null;
      });
  };
  if (opts.runNow) tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
