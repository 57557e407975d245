import path from 'node:path';
import { ROOT, uniqueId } from './infra';

export interface RunningPlatform {
  gatewayUrl: string;
  logDir: string;
  stop(): Promise<void>;
  stopOne(name: string, signal?: NodeJS.Signals): Promise<void>;
  startOne(name: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPlatform } = require(path.join(ROOT, 'scripts', 'platform.cjs')) as {
  startPlatform(opts: Record<string, unknown>): Promise<RunningPlatform>;
};

/**
 * Starts the whole platform from its compiled output with databases and topics of its own, on
 * ports away from `npm start`'s, so a test run never touches a developer's data.
 */
export async function startTestPlatform(
  label: string,
  opts: { basePort: number; gatewayPort: number },
): Promise<RunningPlatform & { dbPrefix: string; topicPrefix: string }> {
  const id = uniqueId(label);
  const dbPrefix = `t_${id}`;
  const topicPrefix = `${id}.`;
  const platform = await startPlatform({
    ...opts,
    dbPrefix,
    topicPrefix,
    logDir: path.join(ROOT, '.run', 'test-logs', id),
    env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', OUTBOX_INTERVAL_MS: '500' },
  });
  return {
    ...platform,
    dbPrefix,
    topicPrefix,
    gatewayUrl: platform.gatewayUrl,
    logDir: platform.logDir,
    stop: () => platform.stop(),
    stopOne: (n, s) => platform.stopOne(n, s),
    startOne: (n) => platform.startOne(n),
  };
}
