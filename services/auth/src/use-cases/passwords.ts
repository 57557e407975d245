import { hash, verify } from '@node-rs/argon2';
import { AppError } from '@ledgerline/contracts';

/** Argon2id (memory-hard), OWASP's minimum profile: 19 MiB, 2 passes. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// verified against when the user does not exist, so timing does not reveal which logins exist
let decoyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hash('decoy-password', ARGON2);
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}

export function checkPasswordPolicy(password: string, minLength: number, field = 'password'): void {
  if (password.length < minLength) {
    throw AppError.validation('Password is too short', [
      { field, message: `must be at least ${minLength} characters` },
    ]);
  }
}
