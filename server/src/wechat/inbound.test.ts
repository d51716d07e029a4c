import { describe, expect, it } from 'vitest';
import { computeMsgSignature, computeSignature, createMessageCipher } from './crypto.js';
import { openInboundMessage, verifyUrlVerification, type OpenInboundMessageInput } from './inbound.js';

const TOKEN = 'AAAAA';
const APP_ID = 'wxba5fad812f8e6fb9';
const cipher = createMessageCipher({ token: TOKEN, encodingAESKey: 'A'.repeat(43), appId: APP_ID });
const TIMESTAMP = '1714112445';
const NONCE = '415670741';
const NOW_MS = Number(TIMESTAMP) * 1000 + 2_000;

const SCAN_XML =
  '<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><FromUserName><![CDATA[openid-real]]></FromUserName>' +
  '<CreateTime>1714112445</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event>' +
  '<EventKey><![CDATA[scene-1]]></EventKey><Ticket><![CDATA[T1]]></Ticket></xml>';

function plainRequest(overrides: Partial<OpenInboundMessageInput> = {}): OpenInboundMessageInput {
  return {
    query: { signature: computeSignature(TOKEN, TIMESTAMP, NONCE), timestamp: TIMESTAMP, nonce: NONCE },
    rawBody: Buffer.from(SCAN_XML),
    token: TOKEN,
    cipher: null,
    replayWindowSeconds: 300,
    nowMs: NOW_MS,
    ...overrides,
  };
}

function encryptedRequest(encrypt: string, plainCopy = ''): OpenInboundMessageInput {
  return plainRequest({
    query: {
      signature: computeSignature(TOKEN, TIMESTAMP, NONCE),
      timestamp: TIMESTAMP,
      nonce: NONCE,
      encrypt_type: 'aes',
      msg_signature: computeMsgSignature(TOKEN, TIMESTAMP, NONCE, encrypt),
      openid: 'openid-real',
    },
    rawBody: `<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>${plainCopy}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    cipher,
  });
}

const failsWith = (code: string, status: number) => expect.objectContaining({ code, status });

describe('verifyUrlVerification', () => {
  const query = { signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696', timestamp: '1714036504', nonce: '1514711492', echostr: '4375120948345356249' };

  it('returns echostr unchanged for the official example', () => {
    expect(verifyUrlVerification({ query, token: TOKEN })).toBe('4375120948345356249');
  });

  it('refuses a wrong token or signature with 401, never echoing', () => {
    expect(() => verifyUrlVerification({ query, token: 'BBBBB' })).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
    expect(() => verifyUrlVerification({ query: { ...query, nonce: '1' }, token: TOKEN })).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
    const { signature: _omitted, ...unsigned } = query;
    expect(() => verifyUrlVerification({ query: unsigned, token: TOKEN })).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
  });

  it('refuses repeated or nested query values with 400 INVALID_QUERY', () => {
    expect(() => verifyUrlVerification({ query: { ...query, echostr: ['1', '2'] }, token: TOKEN })).toThrow(failsWith('INVALID_QUERY', 400));
    expect(() => verifyUrlVerification({ query: { ...query, signature: { a: 1 } }, token: TOKEN })).toThrow(failsWith('INVALID_QUERY', 400));
  });

  it('refuses a signed request without echostr', () => {
    const { echostr: _omitted, ...withoutEchostr } = query;
    expect(() => verifyUrlVerification({ query: withoutEchostr, token: TOKEN })).toThrow(failsWith('INVALID_QUERY', 400));
  });
});

describe('openInboundMessage: plaintext mode', () => {
  it('opens a signed plaintext push', () => {
    const opened = openInboundMessage(plainRequest());
    expect(opened.mode).toBe('plain');
    expect(opened.event).toMatchObject({ kind: 'scan', sceneStr: 'scene-1', fromUserName: 'openid-real', ticket: 'T1' });
    expect(opened.fields.EventKey).toBe('scene-1');
    // Its signature leaves the body unbound: the caller must hold this query to one body.
    expect(opened.bodyUnboundQuery).toEqual({ timestamp: TIMESTAMP, nonce: NONCE, signature: computeSignature(TOKEN, TIMESTAMP, NONCE) });
  });

  it('accepts the plain-mode signature of vector A, and encrypt_type=raw', () => {
    const query = { signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78', timestamp: '1714037059', nonce: '486452656', encrypt_type: 'raw' };
    expect(openInboundMessage(plainRequest({ query, nowMs: 1_714_037_059_000 })).mode).toBe('plain');
  });

  it('refuses a wrong signature, or a missing timestamp or nonce, with 401', () => {
    const signature = computeSignature(TOKEN, TIMESTAMP, NONCE);
    expect(() => openInboundMessage(plainRequest({ token: 'BBBBB' }))).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
    expect(() => openInboundMessage(plainRequest({ query: { signature, nonce: NONCE } }))).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
    expect(() => openInboundMessage(plainRequest({ query: { signature, timestamp: TIMESTAMP } }))).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
    expect(() => openInboundMessage(plainRequest({ query: { timestamp: TIMESTAMP, nonce: NONCE } }))).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
  });

  it('checks the signature before reading the body', () => {
    expect(() => openInboundMessage(plainRequest({ token: 'BBBBB', rawBody: '<!DOCTYPE x><xml/>' }))).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
  });

  it('refuses array query values with 400 INVALID_QUERY', () => {
    const query = { signature: [computeSignature(TOKEN, TIMESTAMP, NONCE)], timestamp: TIMESTAMP, nonce: NONCE };
    expect(() => openInboundMessage(plainRequest({ query }))).toThrow(failsWith('INVALID_QUERY', 400));
  });

  it('refuses an unknown encrypt_type', () => {
    const query = { signature: computeSignature(TOKEN, TIMESTAMP, NONCE), timestamp: TIMESTAMP, nonce: NONCE, encrypt_type: 'des' };
    expect(() => openInboundMessage(plainRequest({ query }))).toThrow(failsWith('INVALID_QUERY', 400));
  });

  it('refuses a replayed timestamp outside the window, and accepts it with the window off', () => {
    const later = NOW_MS + 301_000;
    expect(() => openInboundMessage(plainRequest({ nowMs: later }))).toThrow(failsWith('WECHAT_TIMESTAMP_OUT_OF_WINDOW', 401));
    expect(openInboundMessage(plainRequest({ nowMs: later, replayWindowSeconds: 0 })).mode).toBe('plain');
  });

  it('passes XML errors through after a valid signature', () => {
    expect(() => openInboundMessage(plainRequest({ rawBody: '<xml><A>' }))).toThrow(failsWith('WECHAT_XML_MALFORMED', 400));
    expect(() => openInboundMessage(plainRequest({ rawBody: '<xml><A>1</A></xml>' }))).toThrow(failsWith('WECHAT_MESSAGE_INVALID', 400));
  });

  it('refuses plaintext when encryption is required', () => {
    expect(() => openInboundMessage(plainRequest({ cipher, requireEncryption: true }))).toThrow(failsWith('WECHAT_ENCRYPTION_REQUIRED', 400));
  });
});

describe('openInboundMessage: safe and compatible mode', () => {
  it('verifies and decrypts official vector A, then refuses its JSON body (pushes are XML)', () => {
    const vectorA =
      '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=';
    const request = encryptedRequest(vectorA);
    expect(request.query.msg_signature).toBe('046e02f8204d34f8ba5fa3b1db94908f3df2e9b3');
    expect(() => openInboundMessage(request)).toThrow(failsWith('WECHAT_XML_MALFORMED', 400));
  });

  it('opens a safe-mode push from the decrypted XML', () => {
    const opened = openInboundMessage(encryptedRequest(cipher.encrypt(SCAN_XML)));
    expect(opened.mode).toBe('safe');
    expect(opened.event).toMatchObject({ kind: 'scan', sceneStr: 'scene-1', fromUserName: 'openid-real' });
    // msg_signature covers the Encrypt element: nothing more to hold.
    expect(opened.bodyUnboundQuery).toBeNull();
  });

  it('trusts only the decrypted content in compatible mode', () => {
    const plainCopy = '<FromUserName><![CDATA[openid-attacker]]></FromUserName><MsgType>event</MsgType><Event>SCAN</Event><EventKey>scene-evil</EventKey>';
    const opened = openInboundMessage(encryptedRequest(cipher.encrypt(SCAN_XML), plainCopy));
    expect(opened.mode).toBe('compatible');
    expect(opened.fields.FromUserName).toBe('openid-real');
    expect(opened.event).toMatchObject({ fromUserName: 'openid-real', sceneStr: 'scene-1' });
  });

  it('refuses a wrong or missing msg_signature, even with a valid plain signature', () => {
    const request = encryptedRequest(cipher.encrypt(SCAN_XML));
    const wrong = { ...request, query: { ...request.query, msg_signature: computeSignature(TOKEN, TIMESTAMP, NONCE) } };
    const { msg_signature: _omitted, ...withoutMsgSignature } = request.query;
    expect(() => openInboundMessage(wrong)).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
    expect(() => openInboundMessage({ ...request, query: withoutMsgSignature })).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
  });

  it('refuses an Encrypt swapped after signing', () => {
    const signedFor = encryptedRequest(cipher.encrypt(SCAN_XML));
    const swapped = encryptedRequest(cipher.encrypt(SCAN_XML.replace('scene-1', 'scene-2')));
    expect(() => openInboundMessage({ ...swapped, query: signedFor.query })).toThrow(failsWith('WECHAT_SIGNATURE_INVALID', 401));
  });

  it('refuses a replayed safe-mode push outside the window', () => {
    const request = encryptedRequest(cipher.encrypt(SCAN_XML));
    expect(() => openInboundMessage({ ...request, nowMs: NOW_MS - 400_000 })).toThrow(failsWith('WECHAT_TIMESTAMP_OUT_OF_WINDOW', 401));
  });

  it('refuses a message sealed for another appid', () => {
    const other = createMessageCipher({ token: TOKEN, encodingAESKey: 'A'.repeat(43), appId: 'wx0000000000000000' });
    expect(() => openInboundMessage(encryptedRequest(other.encrypt(SCAN_XML)))).toThrow(failsWith('WECHAT_APPID_MISMATCH', 401));
  });

  it('refuses a signed Encrypt that does not decrypt', () => {
    const garbage = Buffer.alloc(64, 7).toString('base64');
    expect(() => openInboundMessage(encryptedRequest(garbage))).toThrow(failsWith('WECHAT_DECRYPT_FAILED', 400));
  });

  it('applies the XML rules to the decrypted content too', () => {
    const hostile = cipher.encrypt('<!DOCTYPE x [<!ENTITY e "e">]><xml><A>&e;</A></xml>');
    expect(() => openInboundMessage(encryptedRequest(hostile))).toThrow(failsWith('WECHAT_XML_FORBIDDEN_DTD', 400));
  });

  it('refuses an envelope without Encrypt', () => {
    const request = encryptedRequest('x');
    expect(() => openInboundMessage({ ...request, rawBody: '<xml><ToUserName>gh</ToUserName></xml>' })).toThrow(failsWith('WECHAT_MESSAGE_INVALID', 400));
  });

  it('says what to configure when no EncodingAESKey is set', () => {
    const request = encryptedRequest(cipher.encrypt(SCAN_XML));
    expect(() => openInboundMessage({ ...request, cipher: null })).toThrow(failsWith('WECHAT_CONFIG_INVALID', 500));
  });
});
