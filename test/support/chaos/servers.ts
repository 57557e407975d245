import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../infra';

const run = promisify(execFile);

export type Server = 'kafka' | 'mongo' | 'redis';

const script = (name: string) => path.join(ROOT, 'scripts', 'infra', name);

/**
 * Stops or starts one local server with the project's scripts, like infra() in ../infra.ts but
 * without blocking the event loop: the load driver keeps sending (and timing) requests while a
 * server goes down or comes back. The scripts act on whatever LEDGERLINE_INFRA_DIR and the
 * *_PORT variables name, so a developer can aim the suite at a private set of servers.
 */
export async function serverAction(action: 'stop' | 'start', server: Server): Promise<void> {
  await run('bash', [script(`${action}-one.sh`), server], { timeout: 120_000, env: process.env });
  if (action === 'stop') {
    // the scripts leave alone a server another checkout started: a fault that did not happen
    // would make every later assertion meaningless
    const { stdout } = await run('bash', [script('status.sh')], { env: process.env });
    const line = stdout.split('\n').find((l) => l.startsWith(server)) ?? '';
    if (!/stopped/.test(line)) {
      throw new Error(
        `${server} is still running (${line.trim()}): it was started outside this checkout's scripts, so this suite cannot stop it`,
      );
    }
  }
}

/** Starts every server that is not answering; a no-op for those that are. Used in finally blocks. */
export async function restoreServers(): Promise<void> {
  for (const server of ['kafka', 'mongo', 'redis'] as const) await serverAction('start', server);
}
