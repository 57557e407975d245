import { createHmac } from 'node:crypto';
import {
  keyOfSecret,
  newSigningSecret,
  signature,
  signatureHeader,
  signingSecrets,
} from './signing';

describe('Standard Webhooks signing', () => {
  it("when the specification's published example is signed, then the signature is its expected one", () => {
    // the Standard Webhooks specification's test vector (the same one its libraries test)
    expect(
      signature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('when a message is signed, then it is the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the decoded secret', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const secret = `whsec_${key.toString('base64')}`;
    const body = '{"id":"evt_1","type":"invoice.paid"}';
    const expected = createHmac('sha256', key)
      .update(`evt_1:we_1.1700000000.${body}`)
      .digest('base64');
    expect(signature(secret, 'evt_1:we_1', 1700000000, body)).toBe(`v1,${expected}`);
  });

  it('when two secrets sign, then the header carries both signatures separated by a space, newest first', () => {
    const header = signatureHeader(['whsec_bmV3', 'whsec_b2xk'], 'm', 1, 'b');
    expect(header).toBe(
      `${signature('whsec_bmV3', 'm', 1, 'b')} ${signature('whsec_b2xk', 'm', 1, 'b')}`,
    );
  });

  it('when a secret is made, then it is whsec_ and the base64 of 32 random bytes', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(keyOfSecret(secret)).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it('when the previous secret is within its overlap, then both sign; after it, only the new one', () => {
    const endpoint = {
      secret: 'whsec_new',
      previous_secret: 'whsec_old',
      previous_secret_expires_at: new Date('2026-01-02T00:00:00Z'),
    };
    expect(signingSecrets(endpoint, new Date('2026-01-01T23:59:59Z'))).toEqual([
      'whsec_new',
      'whsec_old',
    ]);
    expect(signingSecrets(endpoint, new Date('2026-01-02T00:00:00Z'))).toEqual(['whsec_new']);
    expect(
      signingSecrets(
        { ...endpoint, previous_secret: null, previous_secret_expires_at: null },
        new Date(),
      ),
    ).toEqual(['whsec_new']);
  });
});
