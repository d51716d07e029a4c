import { createCipheriv } from 'node:crypto';
import WXCrypto from 'wechat-crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  computeMsgSignature,
  computeSignature,
  createMessageCipher,
  isValidEncodingAESKey,
  validateEncodingAESKey,
  verifyMsgSignature,
  verifySignature,
} from './crypto.js';

// Official vectors from wechat-protocol.md, sections 1 and 2.
const VECTOR_A = {
  token: 'AAAAA',
  encodingAESKey: 'A'.repeat(43),
  appId: 'wxba5fad812f8e6fb9',
  timestamp: '1714112445',
  nonce: '415670741',
  signature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d',
  msgSignature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
  encrypt:
    '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=',
  message:
    '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}',
  randomPrefix: 'a8eedb185eb2fecf',
};
const VECTOR_A_REPLY = {
  message: '{"demo_resp":"good luck"}',
  randomPrefix: '707722b803182950',
  encrypt: 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==',
  timestamp: '1713424427',
  nonce: '415670741',
  msgSignature: '1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1',
};
const VECTOR_B = {
  token: 'pamtest',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  randomPrefix: 'aaaabbbbccccdddd',
  message: '我是中文abcd123',
  encrypt: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
};

const ascii = (text: string) => Buffer.from(text, 'latin1');
const cipherA = createMessageCipher(VECTOR_A);
const cipherB = createMessageCipher(VECTOR_B);

/** Seals an arbitrary plaintext with vector A's key, with no padding added, to forge bad inputs. */
function sealRaw(plaintext: Buffer): string {
  const key = Buffer.alloc(32); // 43 x 'A' decodes to 32 zero bytes
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

interface ForgedPlaintext {
  declaredLength: number;
  message: string;
  appId: string;
  padBytes: number;
  padValue?: number;
  lastPadByte?: number;
}

function plaintextWith(options: ForgedPlaintext): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(options.declaredLength);
  const body = Buffer.concat([ascii('0123456789abcdef'), length, Buffer.from(options.message), Buffer.from(options.appId)]);
  const padding = Buffer.alloc(options.padBytes, options.padValue ?? options.padBytes);
  if (options.lastPadByte !== undefined) padding[padding.length - 1] = options.lastPadByte;
  return Buffer.concat([body, padding]);
}

function expectAppError(action: () => unknown, code: string, status?: number): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  if (status !== undefined) expect((caught as AppError).status).toBe(status);
}

describe('signatures', () => {
  it('recomputes the URL verification example of section 1', () => {
    expect(['AAAAA', '1714036504', '1514711492'].sort().join('')).toBe('15147114921714036504AAAAA');
    expect(computeSignature('AAAAA', '1714036504', '1514711492')).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
  });

  it('recomputes the signatures of vector A (safe and plain mode)', () => {
    expect(computeSignature(VECTOR_A.token, VECTOR_A.timestamp, VECTOR_A.nonce)).toBe(VECTOR_A.signature);
    expect(computeSignature('AAAAA', '1714037059', '486452656')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
    expect(computeMsgSignature(VECTOR_A.token, VECTOR_A.timestamp, VECTOR_A.nonce, VECTOR_A.encrypt)).toBe(VECTOR_A.msgSignature);
  });

  it('agrees with wechat-crypto on msg_signature', () => {
    const reference = new WXCrypto(VECTOR_A.token, VECTOR_A.encodingAESKey, VECTOR_A.appId);
    expect(reference.getSignature(VECTOR_A.timestamp, VECTOR_A.nonce, VECTOR_A.encrypt)).toBe(VECTOR_A.msgSignature);
  });

  it('verifies a good signature, in either hex case', () => {
    const check = { token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492' };
    expect(verifySignature({ ...check, signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' })).toBe(true);
    expect(verifySignature({ ...check, signature: 'F464B24FC39322E44B38AA78F5EDD27BD1441696' })).toBe(true);
  });

  it.each([
    ['a wrong signature', { signature: 'f464b24fc39322e44b38aa78f5edd27bd1441697' }],
    ['a short signature', { signature: 'f464b24f' }],
    ['a longer signature', { signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' + '00' }],
    ['a non-hex signature', { signature: 'z'.repeat(40) }],
    ['a missing signature', { signature: undefined }],
    ['an array signature', { signature: ['f464b24fc39322e44b38aa78f5edd27bd1441696'] }],
    ['a non-string timestamp', { timestamp: 1714036504 }],
    ['a missing nonce', { nonce: undefined }],
    ['another token', { token: 'BBBBB' }],
    ['an empty token', { token: '' }],
  ])('refuses %s without throwing', (_label, override) => {
    const check = { token: 'AAAAA', timestamp: '1714036504', nonce: '1514711492', signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' };
    expect(verifySignature({ ...check, ...override })).toBe(false);
  });

  it('verifies msg_signature over the Encrypt element and refuses a changed Encrypt', () => {
    const check = { token: VECTOR_A.token, timestamp: VECTOR_A.timestamp, nonce: VECTOR_A.nonce, msgSignature: VECTOR_A.msgSignature };
    expect(verifyMsgSignature({ ...check, encrypt: VECTOR_A.encrypt })).toBe(true);
    expect(verifyMsgSignature({ ...check, encrypt: `${VECTOR_A.encrypt}x` })).toBe(false);
    expect(verifyMsgSignature({ ...check, encrypt: undefined })).toBe(false);
    expect(verifyMsgSignature({ ...check, encrypt: VECTOR_A.encrypt, msgSignature: { $ne: '' } })).toBe(false);
  });
});

describe('EncodingAESKey', () => {
  it('accepts exactly 43 letters and digits', () => {
    expect(isValidEncodingAESKey(VECTOR_B.encodingAESKey)).toBe(true);
    expect(validateEncodingAESKey(VECTOR_A.encodingAESKey)).toBe(VECTOR_A.encodingAESKey);
    for (const bad of ['A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}+`, `${'A'.repeat(42)}=`, '', undefined]) {
      expect(isValidEncodingAESKey(bad)).toBe(false);
      expectAppError(() => validateEncodingAESKey(bad), 'WECHAT_CONFIG_INVALID', 500);
    }
  });

  it('refuses to build a cipher from a bad key, token or appid', () => {
    expectAppError(() => createMessageCipher({ ...VECTOR_A, encodingAESKey: 'short' }), 'WECHAT_CONFIG_INVALID');
    expectAppError(() => createMessageCipher({ ...VECTOR_A, appId: '' }), 'WECHAT_CONFIG_INVALID');
    expectAppError(() => createMessageCipher({ ...VECTOR_A, token: '' }), 'WECHAT_CONFIG_INVALID');
  });
});

describe('safe-mode AES: official vectors', () => {
  it('decrypts vector A to the documented message', () => {
    expect(cipherA.decrypt(VECTOR_A.encrypt)).toBe(VECTOR_A.message);
    expect(Buffer.byteLength(VECTOR_A.message)).toBe(167);
  });

  it('re-encrypts vector A exactly from its random bytes', () => {
    expect(cipherA.encrypt(VECTOR_A.message, ascii(VECTOR_A.randomPrefix))).toBe(VECTOR_A.encrypt);
  });

  it('encrypts the vector A reply and signs its envelope exactly', () => {
    const reply = cipherA.buildEncryptedReply({
      message: VECTOR_A_REPLY.message,
      timestamp: VECTOR_A_REPLY.timestamp,
      nonce: VECTOR_A_REPLY.nonce,
      randomPrefix: ascii(VECTOR_A_REPLY.randomPrefix),
    });
    expect(reply).toEqual({
      encrypt: VECTOR_A_REPLY.encrypt,
      msgSignature: VECTOR_A_REPLY.msgSignature,
      timestamp: VECTOR_A_REPLY.timestamp,
      nonce: VECTOR_A_REPLY.nonce,
    });
  });

  it('encrypts vector B (UTF-8 message) exactly and decrypts it back', () => {
    expect(cipherB.encrypt(VECTOR_B.message, ascii(VECTOR_B.randomPrefix))).toBe(VECTOR_B.encrypt);
    expect(cipherB.decrypt(VECTOR_B.encrypt)).toBe(VECTOR_B.message);
  });
});

describe('safe-mode AES: interoperability with wechat-crypto', () => {
  const reference = new WXCrypto(VECTOR_B.token, VECTOR_B.encodingAESKey, VECTOR_B.appId);
  const messages = ['', 'x', '<xml><Content><![CDATA[你好]]></Content></xml>', 'a'.repeat(31), 'b'.repeat(32), 'c'.repeat(1000)];

  it.each(messages.map((message) => [message.length, message]))('round-trips a %i-character message both ways', (_length, message) => {
    expect(cipherB.decrypt(reference.encrypt(message))).toBe(message);
    expect(reference.decrypt(cipherB.encrypt(message))).toEqual({ message, id: VECTOR_B.appId });
  });

  it('uses fresh random bytes for every encryption by default', () => {
    expect(cipherB.encrypt('same')).not.toBe(cipherB.encrypt('same'));
  });

  it('fills in a timestamp and a numeric nonce for replies, and the envelope verifies', () => {
    const reply = cipherB.buildEncryptedReply({ message: 'hi', nowMs: 1_714_112_445_999 });
    expect(reply.timestamp).toBe('1714112445');
    expect(reply.nonce).toMatch(/^\d{9,10}$/);
    expect(verifyMsgSignature({ token: VECTOR_B.token, ...reply })).toBe(true);
    expect(reference.decrypt(reply.encrypt).message).toBe('hi');
  });

  it('refuses a random prefix that is not 16 bytes', () => {
    expect(() => cipherB.encrypt('x', Buffer.alloc(15))).toThrow(RangeError);
  });
});

describe('safe-mode AES: refusals', () => {
  it('refuses a message sealed for another appid', () => {
    const other = createMessageCipher({ ...VECTOR_A, appId: 'wx0000000000000000' });
    expectAppError(() => cipherA.decrypt(other.encrypt('hello')), 'WECHAT_APPID_MISMATCH', 401);
    // wechat-crypto itself would have returned it: the check is ours.
    const reference = new WXCrypto(VECTOR_A.token, VECTOR_A.encodingAESKey, 'wx0000000000000000');
    expectAppError(() => cipherA.decrypt(reference.encrypt('hello')), 'WECHAT_APPID_MISMATCH');
  });

  it('refuses an appid that only starts like ours', () => {
    const longer = createMessageCipher({ ...VECTOR_A, appId: `${VECTOR_A.appId}x` });
    expectAppError(() => cipherA.decrypt(longer.encrypt('hello')), 'WECHAT_APPID_MISMATCH');
  });

  it.each([
    ['garbage base64', '%%%not base64%%%'],
    ['base64 without padding', VECTOR_A.encrypt.slice(0, -1)],
    ['an empty string', ''],
    ['a length that is not whole AES blocks', Buffer.alloc(20).toString('base64')],
  ])('refuses %s with WECHAT_DECRYPT_FAILED', (_label, encrypted) => {
    expectAppError(() => cipherA.decrypt(encrypted), 'WECHAT_DECRYPT_FAILED', 400);
  });

  it('refuses tampered ciphertext', () => {
    const bytes = Buffer.from(VECTOR_A.encrypt, 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
    expectAppError(() => cipherA.decrypt(bytes.toString('base64')), 'WECHAT_DECRYPT_FAILED');
  });

  it('refuses a ciphertext made with another key', () => {
    expectAppError(() => cipherA.decrypt(VECTOR_B.encrypt), 'WECHAT_DECRYPT_FAILED');
  });

  it('accepts a well-formed forged plaintext (control for the cases below)', () => {
    const plain = plaintextWith({ declaredLength: 2, message: 'hi', appId: VECTOR_A.appId, padBytes: 24 });
    expect(plain.length % 32).toBe(0);
    expect(cipherA.decrypt(sealRaw(plain))).toBe('hi');
  });

  it.each([
    ['a pad byte of 0', { padBytes: 24, padValue: 0 }],
    ['a pad byte above 32', { padBytes: 40, padValue: 40 }],
    ['pad bytes that disagree', { padBytes: 24, padValue: 23, lastPadByte: 24 }],
    ['a length field larger than the buffer', { padBytes: 24, declaredLength: 4096 }],
    ['a length field reaching past the appid', { padBytes: 24, declaredLength: 2 + VECTOR_A.appId.length + 1 }],
  ])('refuses %s', (_label, override) => {
    const plain = plaintextWith({ declaredLength: 2, message: 'hi', appId: VECTOR_A.appId, ...override });
    expect(plain.length % 16).toBe(0);
    expectAppError(() => cipherA.decrypt(sealRaw(plain)), 'WECHAT_DECRYPT_FAILED');
  });

  it('refuses a plaintext shorter than its header', () => {
    expectAppError(() => cipherA.decrypt(sealRaw(Buffer.alloc(16, 16))), 'WECHAT_DECRYPT_FAILED');
  });

  it('refuses a message that is not UTF-8', () => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(2);
    const body = Buffer.concat([ascii('0123456789abcdef'), length, Buffer.from([0xff, 0xfe]), ascii(VECTOR_A.appId)]);
    const padBytes = 32 - (body.length % 32);
    expectAppError(() => cipherA.decrypt(sealRaw(Buffer.concat([body, Buffer.alloc(padBytes, padBytes)]))), 'WECHAT_DECRYPT_FAILED');
  });
});
