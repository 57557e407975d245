import { EventEmitter } from 'node:events';
import { watchMonitors, type RestartableMonitor } from './mongo-watchdog';

function setup() {
  let clock = 1_000;
  const client = new EventEmitter();
  const calls: string[] = [];
  const monitor: RestartableMonitor = {
    close: () => calls.push('close'),
    connect: () => calls.push('connect'),
  };
  const restarts: [string, number][] = [];
  const watchdog = watchMonitors(client, (a) => (a === 'db:27017' ? monitor : undefined), {
    stuckMs: 30_000,
    intervalMs: 60_000,
    now: () => clock,
    onRestart: (a, ms) => restarts.push([a, ms]),
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { client, calls, restarts, watchdog, advance };
}

describe('watchMonitors', () => {
  test('when heartbeats finish, then no monitor is restarted however long the process runs', () => {
    const { client, calls, watchdog, advance } = setup();
    for (let i = 0; i < 10; i++) {
      client.emit('serverHeartbeatStarted', { connectionId: 'db:27017' });
      advance(20_000);
      client.emit(i % 2 ? 'serverHeartbeatFailed' : 'serverHeartbeatSucceeded', {
        connectionId: 'db:27017',
      });
      advance(20_000);
      expect(watchdog.check()).toEqual([]);
    }
    expect(calls).toEqual([]);
    watchdog.stop();
  });

  test('when a heartbeat has not finished after stuckMs, then its monitor is closed and connected again, once', () => {
    const { client, calls, restarts, watchdog, advance } = setup();
    client.emit('serverHeartbeatStarted', { connectionId: 'db:27017' });
    advance(29_999);
    expect(watchdog.check()).toEqual([]);
    advance(1);
    expect(watchdog.check()).toEqual(['db:27017']);
    expect(calls).toEqual(['close', 'connect']);
    expect(restarts).toEqual([['db:27017', 30_000]]);
    advance(60_000);
    expect(watchdog.check()).toEqual([]);
    expect(calls).toEqual(['close', 'connect']);
    watchdog.stop();
  });

  test('when a stuck heartbeat belongs to a server the topology no longer has, then nothing is restarted', () => {
    const { client, calls, watchdog, advance } = setup();
    client.emit('serverHeartbeatStarted', { connectionId: 'gone:27017' });
    advance(45_000);
    expect(watchdog.check()).toEqual([]);
    expect(calls).toEqual([]);
    watchdog.stop();
  });
});
