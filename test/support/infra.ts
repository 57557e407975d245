import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27027';
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(',');
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6391';

/** Stops or starts one local server (kafka|mongo|redis) with the project's own scripts, keeping its data. */
export function infra(action: 'stop' | 'start', server: 'kafka' | 'mongo' | 'redis'): void {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'infra', `${action}-one.sh`), server], {
    stdio: 'inherit',
    timeout: 120_000,
  });
  if (action === 'stop') {
    // the scripts never stop a server another checkout started; an outage test cannot run then
    const status = execFileSync('bash', [path.join(ROOT, 'scripts', 'infra', 'status.sh')], {
      encoding: 'utf8',
    });
    const line = status.split('\n').find((l) => l.startsWith(server)) ?? '';
    if (!/stopped/.test(line)) {
      throw new Error(
        `${server} is still running (${line.trim()}): it was started outside this checkout's scripts, so this test cannot stop it`,
      );
    }
  }
}

/** A short id unique to this test run, for database names, topic prefixes and usernames. */
export function uniqueId(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}
