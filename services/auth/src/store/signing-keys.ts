import { generateKeyPairSync, createPublicKey, randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';

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
 * RS256 key pairs. The first start creates one; every auth instance signs with the newest active key
 * and publishes all active public keys in the JWKS, so a new key can be added before the old one is
 * retired. (Scheduled rotation is part of the identity issue.)
 */
export function signingKeyStore(connection: Connection) {
  const model = connection.model<SigningKeyDoc>('SigningKey', schema);
  return {
    async current(): Promise<SigningKey> {
      const existing = await model
        .findOne({ active: true })
        .sort({ created_at: -1 })
        .lean<SigningKeyDoc>();
      if (existing)
        return {
          kid: existing._id,
          privateKeyPem: existing.private_key_pem,
          publicJwk: existing.public_jwk,
        };
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = randomUUID();
      const publicJwk = {
        ...createPublicKey(privateKey).export({ format: 'jwk' }),
        kid,
        alg: 'RS256',
        use: 'sig',
      };
      const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      await model.create({
        _id: kid,
        private_key_pem: privateKeyPem,
        public_jwk: publicJwk,
        active: true,
        created_at: new Date(),
      });
      return { kid, privateKeyPem, publicJwk };
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
