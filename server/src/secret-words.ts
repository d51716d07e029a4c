/**
 * The one rule for "this name holds a secret", shared by the audit sanitizer (detail keys) and the
 * URL redaction of the logs (query names), so the two never drift apart.
 *
 * Words are matched against the name lower-cased with separators removed (`access_token`,
 * `newPassword`, `EncodingAESKey`, `msg_signature` all match). A false positive only hides a
 * harmless fact; a false negative would keep a secret for months, so the list is generous.
 */
const SECRET_KEY_WORDS = ['password', 'passwd', 'pwd', 'secret', 'token', 'cookie', 'key', 'signature', 'ticket', 'authorization', 'credential', 'hash', 'salt', 'encrypt', 'otp', 'session'];

/** Values that are secrets whatever name carries them: bearer credentials and JWTs. */
const SECRET_VALUE = /^(bearer|basic)\s|^ey[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+$/i;

export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY_WORDS.some((word) => normalized.includes(word));
}

export function isSecretValue(value: string): boolean {
  return SECRET_VALUE.test(value.trim());
}
