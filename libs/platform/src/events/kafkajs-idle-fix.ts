/**
 * kafkajs 2.2.4 (its last release) re-arms a timer in every connection's request queue even when
 * nothing waits: `scheduleCheckPendingRequests` computes `throttledUntil - now`, negative when
 * the broker never throttled, and Node runs a negative timeout after 1 ms. Each connection then
 * wakes its process about 800 times a second for nothing (tulios/kafkajs#1556, #1604, #1704;
 * unmerged PRs #1667, #1768). Measured here with `strace -e epoll_pwait`: ~1,600 event-loop
 * wake-ups a second in every idle service, 5-8 % of a core each. Node 24 also warns about the
 * negative timeout (#1751).
 *
 * The replacement keeps the method's contract and schedules only when a request is pending:
 * then at the end of the broker's throttle, or after the library's 10 ms re-check interval. With
 * nothing pending there is nothing to check; `push` schedules again when a request has to wait,
 * and a finished in-flight request checks the queue itself.
 */

/** The library's re-check interval for a queue that is full but not throttled. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

export function scheduleCheckPendingRequests(this: RequestQueueLike): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

let applied = false;

/** Replaces the method on kafkajs's RequestQueue (the module every Kafka client loads); once. */
export function applyKafkajsIdleFix(): void {
  if (applied) return;
  // the class is internal (kafkajs has no exports map, so the path is reachable and stable in
  // the pinned 2.2.4); the check below fails loudly if a future version moves it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: Partial<RequestQueueLike> & { scheduleCheckPendingRequests?: unknown };
  };
  if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function') {
    throw new Error(
      'kafkajs RequestQueue.scheduleCheckPendingRequests not found: re-check the idle fix',
    );
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  applied = true;
}
