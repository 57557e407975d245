import type { Server } from 'node:http';
import type { Logger } from './logger';

export type Closer = () => Promise<unknown>;

export function closeServer(server: Server): Closer {
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
}

/**
 * Starts a process and shuts it down in order on SIGTERM/SIGINT: stop taking work first, then
 * close connections. A shutdown that hangs is cut short so orchestrators are not kept waiting.
 */
export function runProcess(
  name: string,
  logger: Logger,
  start: () => Promise<Closer[]>,
  graceMs = 15_000,
): void {
  let closers: Closer[] = [];
  let stopping = false;

  async function stop(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} shutting down`);
    const force = setTimeout(() => {
      logger.error(`${name} did not stop within ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    force.unref();
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'error while closing');
      }
    }
    logger.info(`${name} stopped`);
    process.exit(0);
  }

  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  start()
    .then((c) => {
      closers = c;
      logger.info(`${name} started`);
    })
    .catch((err) => {
      logger.fatal({ err }, `${name} failed to start`);
      process.exit(1);
    });
}
