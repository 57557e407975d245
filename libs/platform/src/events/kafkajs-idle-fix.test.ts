import { applyKafkajsIdleFix } from './kafkajs-idle-fix';

applyKafkajsIdleFix();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (opts: object) => {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
};

const logger = { debug: () => undefined, warn: () => undefined, error: () => undefined };

function queue(maxInFlightRequests: number | null = null) {
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 1000,
    enforceRequestTimeout: false,
    clientId: 'idle-fix-test',
    broker: '127.0.0.1:1',
    logger,
  });
}

describe('kafkajs request queue idle fix', () => {
  test('when nothing is pending, then checking the queue arms no timer', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  test('when a request waits on a full queue, then a re-check is armed after 10 ms', () => {
    jest.useFakeTimers();
    try {
      const q = queue(1);
      q.inflight.set(1, {});
      const sent: string[] = [];
      q.pending.push({ send: () => sent.push('sent'), expectResponse: true });
      q.checkPendingRequests();
      expect(q.throttleCheckTimeoutId).not.toBeNull();
      q.inflight.clear();
      jest.advanceTimersByTime(9);
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(sent).toEqual(['sent']);
      expect(q.throttleCheckTimeoutId).toBeNull();
      q.destroy();
    } finally {
      jest.useRealTimers();
    }
  });

  test('when the broker throttles, then the re-check waits for the end of the throttle', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const q = queue();
      q.throttledUntil = 1_000_250;
      const sent: string[] = [];
      q.pending.push({ send: () => sent.push('sent'), expectResponse: true });
      q.checkPendingRequests();
      jest.advanceTimersByTime(249);
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(sent).toEqual(['sent']);
      q.destroy();
    } finally {
      jest.useRealTimers();
    }
  });
});
