import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * WeChat signatures and safe-mode AES (wechat-protocol.md sections 1 and 2).
 *
 * The AES part is our own node:crypto code rather than a wrapper over wechat-crypto because that
 * library strips padding leniently (a pad byte of 0 or > 32 is silently kept), never checks the
 * length field against the buffer, and cannot take injected random bytes. The tests prove both
 * implementations interoperate in each direction.
 */

const ENCODING_AES_KEY_PATTERN = /^[a-zA-Z0-9]{43}$/;
const SHA1_HEX_PATTERN = /^[0-9a-fA-F]{40}$/;
const STRICT_BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** WeChat pads with PKCS#7 to a multiple of 32 bytes (not AES's 16): 1..32 pad bytes. */
const PAD_BLOCK_BYTES = 32;
const RANDOM_PREFIX_BYTES = 16;
const LENGTH_FIELD_BYTES = 4;
const AES_BLOCK_BYTES = 16;

function sha1OfSortedJoin(parts: string[]): string {
  // WeChat sorts the parts as strings (code-unit order), not as numbers.
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** The `signature` query parameter: sha1 of sorted [token, timestamp, nonce], lowercase hex. */
export function computeSignature(token: string, timestamp: string, nonce: string): string {
  return sha1OfSortedJoin([token, timestamp, nonce]);
}

/** The `msg_signature` of safe mode: sha1 of sorted [token, timestamp, nonce, Encrypt]. */
export function computeMsgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1OfSortedJoin([token, timestamp, nonce, encrypt]);
}

/** Timing-safe comparison of a computed sha1 hex with whatever the request carried. */
function matchesSha1Hex(expectedHex: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string' || !SHA1_HEX_PATTERN.test(candidate)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(candidate, 'hex'));
}

export interface SignatureCheck {
  token: string;
  /** Typed `unknown` so raw query values can be passed: anything but a string fails, nothing throws. */
  timestamp: unknown;
  nonce: unknown;
  signature: unknown;
}

export function verifySignature({ token, timestamp, nonce, signature }: SignatureCheck): boolean {
  if (typeof token !== 'string' || token === '') return false;
  if (typeof timestamp !== 'string' || typeof nonce !== 'string') return false;
  return matchesSha1Hex(computeSignature(token, timestamp, nonce), signature);
}

export interface MsgSignatureCheck {
  token: string;
  timestamp: unknown;
  nonce: unknown;
  encrypt: unknown;
  msgSignature: unknown;
}

export function verifyMsgSignature({ token, timestamp, nonce, encrypt, msgSignature }: MsgSignatureCheck): boolean {
  if (typeof token !== 'string' || token === '') return false;
  if (typeof timestamp !== 'string' || typeof nonce !== 'string' || typeof encrypt !== 'string') return false;
  return matchesSha1Hex(computeMsgSignature(token, timestamp, nonce, encrypt), msgSignature);
}

export function isValidEncodingAESKey(key: unknown): key is string {
  return typeof key === 'string' && ENCODING_AES_KEY_PATTERN.test(key);
}

/** Returns the key unchanged, or throws WECHAT_CONFIG_INVALID naming the variable to fix. */
export function validateEncodingAESKey(key: unknown): string {
  if (isValidEncodingAESKey(key)) return key;
  throw new AppError(
    500,
    'WECHAT_CONFIG_INVALID',
    'WECHAT_MP_ENCODING_AES_KEY must be exactly 43 letters and digits, as shown in the WeChat admin',
  );
}

/** The fields of the encrypted reply envelope, ready for buildEncryptedReplyXml. */
export interface EncryptedReplyFields {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface EncryptedReplyInput {
  message: string;
  /** Seconds as a string; defaults to now. */
  timestamp?: string;
  /** Defaults to a random run of digits, like WeChat's own nonces. */
  nonce?: string;
  /** Only for reproducible tests: the 16 random bytes that start the plaintext. */
  randomPrefix?: Uint8Array;
  nowMs?: number;
}

export interface MessageCipher {
  readonly appId: string;
  /** The plaintext message; throws WECHAT_DECRYPT_FAILED or WECHAT_APPID_MISMATCH. */
  decrypt(encrypt: string): string;
  /** Base64 ciphertext for a reply. `randomPrefix` is for test vectors only. */
  encrypt(message: string, randomPrefix?: Uint8Array): string;
  buildEncryptedReply(input: EncryptedReplyInput): EncryptedReplyFields;
}

export interface MessageCipherOptions {
  token: string;
  encodingAESKey: string;
  appId: string;
}

function decryptFailed(reason: string, cause?: unknown): AppError {
  return new AppError(
    400,
    'WECHAT_DECRYPT_FAILED',
    'The encrypted WeChat message could not be decrypted: check that WECHAT_MP_ENCODING_AES_KEY matches the EncodingAESKey in the WeChat admin',
    { reason },
    cause === undefined ? undefined : { cause },
  );
}

function decipherAll(key: Buffer, iv: Buffer, encrypt: string): Buffer {
  if (typeof encrypt !== 'string' || !STRICT_BASE64_PATTERN.test(encrypt)) throw decryptFailed('not base64');
  const ciphertext = Buffer.from(encrypt, 'base64');
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) {
    throw decryptFailed('ciphertext length is not a whole number of AES blocks');
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    decipher.setAutoPadding(false); // PKCS#7 to 32 bytes is checked by hand below
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw decryptFailed('AES decryption failed', error);
  }
}

function stripPadding(plaintext: Buffer): Buffer {
  const padBytes = plaintext[plaintext.length - 1] ?? 0;
  if (padBytes < 1 || padBytes > PAD_BLOCK_BYTES || padBytes > plaintext.length) throw decryptFailed('bad padding');
  for (let index = plaintext.length - padBytes; index < plaintext.length; index += 1) {
    if (plaintext[index] !== padBytes) throw decryptFailed('bad padding');
  }
  return plaintext.subarray(0, plaintext.length - padBytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Splits random(16) + length(4, big-endian) + message + appid. */
function splitPlaintext(unpadded: Buffer): { message: string; appId: string } {
  const headerBytes = RANDOM_PREFIX_BYTES + LENGTH_FIELD_BYTES;
  if (unpadded.length < headerBytes) throw decryptFailed('plaintext shorter than its header');
  const messageBytes = unpadded.readUInt32BE(RANDOM_PREFIX_BYTES);
  if (messageBytes > unpadded.length - headerBytes) throw decryptFailed('length field exceeds the plaintext');
  try {
    return {
      message: strictUtf8.decode(unpadded.subarray(headerBytes, headerBytes + messageBytes)),
      appId: strictUtf8.decode(unpadded.subarray(headerBytes + messageBytes)),
    };
  } catch (error) {
    throw decryptFailed('message is not valid UTF-8', error);
  }
}

function randomNonce(): string {
  return String(randomInt(100_000_000, 10_000_000_000));
}

export function createMessageCipher({ token, encodingAESKey, appId }: MessageCipherOptions): MessageCipher {
  if (!token) throw new AppError(500, 'WECHAT_CONFIG_INVALID', 'WECHAT_MP_TOKEN is required for safe mode');
  if (!appId) throw new AppError(500, 'WECHAT_CONFIG_INVALID', 'WECHAT_MP_APPID is required for safe mode');
  // The 43rd character carries spare bits; Node's lenient base64 decoder ignores them, as WeChat does.
  const key = Buffer.from(`${validateEncodingAESKey(encodingAESKey)}=`, 'base64');
  const iv = key.subarray(0, AES_BLOCK_BYTES);

  function encrypt(message: string, randomPrefix: Uint8Array = randomBytes(RANDOM_PREFIX_BYTES)): string {
    if (randomPrefix.length !== RANDOM_PREFIX_BYTES) throw new RangeError('randomPrefix must be 16 bytes');
    const messageBytes = Buffer.from(message, 'utf8');
    const lengthField = Buffer.alloc(LENGTH_FIELD_BYTES);
    lengthField.writeUInt32BE(messageBytes.length);
    const body = Buffer.concat([randomPrefix, lengthField, messageBytes, Buffer.from(appId, 'utf8')]);
    const padBytes = PAD_BLOCK_BYTES - (body.length % PAD_BLOCK_BYTES);
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    cipher.setAutoPadding(false);
    const padded = Buffer.concat([body, Buffer.alloc(padBytes, padBytes)]);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }

  return {
    appId,
    encrypt,
    decrypt(encrypted: string): string {
      const opened = splitPlaintext(stripPadding(decipherAll(key, iv, encrypted)));
      if (opened.appId !== appId) {
        throw new AppError(
          401,
          'WECHAT_APPID_MISMATCH',
          'The encrypted WeChat message was sealed for another app: check WECHAT_MP_APPID',
          { receivedAppId: opened.appId.slice(0, 64) },
        );
      }
      return opened.message;
    },
    buildEncryptedReply({ message, timestamp, nonce, randomPrefix, nowMs = Date.now() }) {
      const replyTimestamp = timestamp ?? String(Math.floor(nowMs / 1000));
      const replyNonce = nonce ?? randomNonce();
      const ciphertext = encrypt(message, randomPrefix);
      return {
        encrypt: ciphertext,
        msgSignature: computeMsgSignature(token, replyTimestamp, replyNonce, ciphertext),
        timestamp: replyTimestamp,
        nonce: replyNonce,
      };
    },
  };
}
