import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { modelOf } from '@ledgerline/platform';

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: Record<string, unknown>;
}

interface SigningKeyDoc {
  _id: string;
  private_key_pem: string;
  public_jwk: Record<string, unknown>;
  active: boolean;
  created_at: Date;
}

const schema = new Schema<SigningKeyDoc>(
  {
    _id: String,
    private_key_pem: String,
    public_jwk: Schema.Types.Mixed,
    active: Boolean,
    created_at: Date,
  },
  { collection: 'signing_keys', versionKey: false },
);

/**
 * RS256 key pairs. Every auth instance signs with the newest active key and publishes all active
 * public keys in the JWKS, so a new key can be added before the old one is retired: tokens signed
 * with an older key stay valid until they expire, and rotation needs no downtime.
 */
export function signingKeyStore(connection: Connection) {
  const model = modelOf<SigningKeyDoc>(connection, 'SigningKey', schema);
  const toKey = (doc: SigningKeyDoc): SigningKey => ({
    kid: doc._id,
    privateKeyPem: doc.private_key_pem,
    publicJwk: doc.public_jwk,
  });

  async function rotate(): Promise<SigningKey> {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const publicJwk = {
      ...createPublicKey(privateKey).export({ format: 'jwk' }),
      kid,
      alg: 'RS256',
      use: 'sig',
    };
    const doc: SigningKeyDoc = {
      _id: kid,
      private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      public_jwk: publicJwk,
      active: true,
      created_at: new Date(),
    };
    await model.create(doc);
    return toKey(doc);
  }

  return {
    rotate,
    /** The newest active key; a first start creates one. */
    async current(): Promise<SigningKey> {
      const newest = await model
        .findOne({ active: true })
        .sort({ created_at: -1 })
        .lean<SigningKeyDoc>();
      return newest ? toKey(newest) : rotate();
    },
    /** Retires every key but the newest that is older than `cutoff` (the access-token lifetime ago). */
    async retireOlderThan(cutoff: Date): Promise<number> {
      const newest = await model
        .findOne({ active: true })
        .sort({ created_at: -1 })
        .lean<SigningKeyDoc>();
      const result = await model.updateMany(
        { active: true, created_at: { $lt: cutoff }, _id: { $ne: newest?._id } },
        { $set: { active: false } },
      );
      return result.modifiedCount;
    },
    async publicKeyPem(kid: string): Promise<string | null> {
      const key = await model.findOne({ _id: kid, active: true }).lean<SigningKeyDoc>();
      if (!key) return null;
      return createPublicKey({
        key: key.public_jwk as import('node:crypto').JsonWebKey,
        format: 'jwk',
      })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    },
    async publicJwks(): Promise<{ keys: Record<string, unknown>[] }> {
      const keys = await model
        .find({ active: true })
        .sort({ created_at: -1 })
        .lean<SigningKeyDoc[]>();
      return { keys: keys.map((k) => k.public_jwk) };
    },
  };
}
export type SigningKeyStore = ReturnType<typeof signingKeyStore>;
