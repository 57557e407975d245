/**
 * Restarts a MongoDB driver monitor whose heartbeat never finishes.
 *
 * Why: the chaos suite (docs/faults.md) caught the API processes unable to use the database for
 * good after FerretDB was restarted under load, while other processes recovered. The driver's
 * monitor (mongodb 6.20, polling: FerretDB has no topologyVersion) was stuck "monitoring" on a
 * connection already closed: its heartbeat waited on the dead socket and was never cancelled.
 * A monitor only checks again when its check ends, so the server stayed "Unknown" and every
 * operation failed server selection (503) although the database answered again. A heartbeat
 * lasts at most about the connect timeout, so one older than `stuckMs` is that hang: the
 * monitor is closed and connected again, which starts a fresh check on a new connection.
 */
export interface RestartableMonitor {
  close(): void;
  connect(): void;
}

/** The driver client's SDAM events, as MongoClient emits them. */
export interface HeartbeatEvents {
  on(
    event: 'serverHeartbeatStarted' | 'serverHeartbeatSucceeded' | 'serverHeartbeatFailed',
    listener: (event: { connectionId: string }) => void,
  ): unknown;
}

export interface MonitorWatchdog {
  /** Restarts the monitors stuck for longer than stuckMs; answers their addresses. */
  check(): string[];
  stop(): void;
}

export function watchMonitors(
  client: HeartbeatEvents,
  monitorOf: (address: string) => RestartableMonitor | undefined,
  opts: {
    stuckMs: number;
    intervalMs: number;
    onRestart?: (address: string, stuckForMs: number) => void;
    now?: () => number;
  },
): MonitorWatchdog {
  const now = opts.now ?? Date.now;
  const startedAt = new Map<string, number>();
  client.on('serverHeartbeatStarted', (e) => {
    if (!startedAt.has(e.connectionId)) startedAt.set(e.connectionId, now());
  });
  client.on('serverHeartbeatSucceeded', (e) => startedAt.delete(e.connectionId));
  client.on('serverHeartbeatFailed', (e) => startedAt.delete(e.connectionId));

  function check(): string[] {
    const restarted: string[] = [];
    for (const [address, since] of startedAt) {
      const stuckFor = now() - since;
      if (stuckFor < opts.stuckMs) continue;
      startedAt.delete(address);
      const monitor = monitorOf(address);
      if (!monitor) continue;
      monitor.close();
      monitor.connect();
      restarted.push(address);
      opts.onRestart?.(address, stuckFor);
    }
    return restarted;
  }

  const timer = setInterval(check, opts.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
