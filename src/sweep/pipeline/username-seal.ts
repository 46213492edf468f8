/**
 * Sealing a username into an audit intent: records under a username key carry only an HMAC, but a
 * retry resolving an intent must list that user's devices, so the intent keeps the username
 * encrypted (AES-256-GCM) under a key derived from the same secret. Nothing readable lands in the bucket.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** Derives the sealing key from the audit key, so the HMAC and the seal never share a key. */
function sealKey(usernameKey: string | Uint8Array): Buffer {
  return createHmac('sha256', usernameKey).update('cognito-device-sweep/audit-intent-username', 'utf8').digest();
}

/** base64 of iv (12 bytes) | tag (16 bytes) | ciphertext. */
export function sealUsername(usernameKey: string | Uint8Array, username: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(usernameKey), iv);
  const sealed = Buffer.concat([cipher.update(username, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** @throws when `sealed` was not sealed under `usernameKey` */
export function unsealUsername(usernameKey: string | Uint8Array, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(usernameKey), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
