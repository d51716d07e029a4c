import { createHash } from 'node:crypto';
import { generateRandomString } from 'better-auth/crypto';

/**
 * A new client secret, as the provider makes them (32 letters, about 190 bits), and the form it is
 * stored in: SHA-256, base64url without padding, which is the provider's default "hashed" storage
 * (`storeClientSecret` is unset and the jwt plugin is on) and what its token endpoint compares a
 * presented secret against in constant time. The tests redeem a rotated secret, so a change of the
 * plugin's hashing fails them rather than locking every app out.
 */
export function newClientSecret(): { secret: string; storedHash: string } {
  const secret = generateRandomString(32, 'a-z', 'A-Z');
  return { secret, storedHash: hashClientSecret(secret) };
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
