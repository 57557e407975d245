/**
 * Errors that mean "a dependency is down right now", as opposed to a bug or bad input:
 * they answer 503 and, in consumers, are retried rather than dead-lettered.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNonRetriableError',
  'MaxRetriesPerRequestError',
  'DependencyUnavailableError',
]);

/**
 * Socket errors that reach callers unwrapped: the MongoDB driver passes on the EPIPE of a write
 * to a connection the server closed as it stopped ("This socket has been ended by the other
 * party"), which the chaos suite saw answer a payment with a 500.
 */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Thrown by code that knows its failure is a dependency's, not the message's (another service
 * that cannot be asked right now): a consumer redelivers the event later instead of
 * dead-lettering it, a request answers 503.
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';
}

export function isUnavailableError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const candidate = e as {
      name?: string;
      code?: string;
      message?: string;
      cause?: unknown;
      errorResponse?: unknown;
    };
    if (candidate.name && UNAVAILABLE_NAMES.has(candidate.name)) return true;
    if (candidate.code && UNAVAILABLE_SOCKET_CODES.has(candidate.code)) return true;
    if (
      candidate.name === 'MongooseError' &&
      /buffering timed out|before initial connection/.test(candidate.message ?? '')
    ) {
      return true;
    }
    // ioredis, while Redis is away
    if (
      candidate.message === 'Connection is closed.' ||
      candidate.message?.startsWith("Stream isn't writeable")
    )
      return true;
    // a bulk write (insertMany) wraps the network or server-selection error that stopped it in a
    // MongoBulkWriteError, which keeps it as errorResponse, not as cause
    e =
      candidate.cause ??
      (candidate.errorResponse instanceof Error ? candidate.errorResponse : null);
  }
  return false;
}
