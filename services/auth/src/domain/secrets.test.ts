import {
  apiTokenString,
  newSecret,
  parseApiToken,
  parseRefreshToken,
  refreshToken,
  sameHash,
  sha256,
} from './secrets';

describe('secrets', () => {
  test('when a refresh token is built, then it parses back to its session and secret', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(parseRefreshToken(refreshToken('ses_abc-DEF_1', secret))).toEqual({
      sessionId: 'ses_abc-DEF_1',
      secret,
    });
    expect(parseRefreshToken('ses_abc')).toBeNull();
    expect(parseRefreshToken(`tok_abc.${secret}`)).toBeNull();
  });

  test('when an API token is built, then it parses back even if ids contain underscores', () => {
    const secret = newSecret();
    expect(parseApiToken(apiTokenString('tok_a_b-c', secret))).toEqual({
      tokenId: 'tok_a_b-c',
      secret,
    });
    expect(parseApiToken('llt_nope')).toBeNull();
    expect(parseApiToken(`Bearer llt_tok_x.${secret}`)).toBeNull();
  });

  test('when hashes are compared, then only equal hashes match', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sameHash(sha256('abc'), sha256('abc'))).toBe(true);
    expect(sameHash(sha256('abc'), sha256('abd'))).toBe(false);
    expect(sameHash(sha256('abc'), 'ab')).toBe(false);
  });
});
