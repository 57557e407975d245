import { DependencyUnavailableError, isUnavailableError } from './dependency-errors';

function socketError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isUnavailableError', () => {
  it('when a write hits a socket the store closed (EPIPE, as the MongoDB driver passes it on), then it is a dependency outage', () => {
    expect(
      isUnavailableError(socketError('This socket has been ended by the other party', 'EPIPE')),
    ).toBe(true);
  });

  it('when a refused or reset connection is the cause of another error, then it is a dependency outage', () => {
    const wrapped = new Error('command failed', {
      cause: socketError('connect ECONNREFUSED 127.0.0.1:27017', 'ECONNREFUSED'),
    });
    expect(isUnavailableError(wrapped)).toBe(true);
    expect(isUnavailableError(socketError('read ECONNRESET', 'ECONNRESET'))).toBe(true);
  });

  it('when the error is a bug or a file error, then it is not an outage', () => {
    expect(isUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isUnavailableError(socketError('no such file', 'ENOENT'))).toBe(false);
    expect(isUnavailableError(undefined)).toBe(false);
  });

  it('when code says the dependency is away, then it is an outage', () => {
    expect(isUnavailableError(new DependencyUnavailableError('billing did not answer'))).toBe(true);
  });
});
