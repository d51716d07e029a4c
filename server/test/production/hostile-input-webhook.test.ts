import { randomInt } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, type Browser } from '../support/http.js';
import { newWechatUser, requestQrcode, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { countStore, expectScenePending, http, ours, sendOversizedHead, type HostileCase, type HttpResponse, type StoreCounts, describeBatches } from './hostile-input-corpus.js';
import {
  cdata,
  encryptPadded,
  envelopeXml,
  flipMiddleByte,
  FOREIGN_AES_KEY,
  frame,
  framedWithPad,
  nowSeconds,
  padTo32,
  plainQuery,
  postWebhook,
  safeModeQuery,
  scanXml,
  seal,
  sealedPush,
  textXml,
  WEBHOOK_PATH,
} from './hostile-input-envelope.js';

/**
 * Issue #6, the webhook: hostile GETs and POSTs against a safe-mode server. Most target one QR
 * scene (a SCAN of it, sealed and signed as WeChat would, then broken in one way), so "recorded
 * nothing" is checkable: after the corpus that scene is still pending, and a genuine scan of it
 * still works.
 */

interface Ctx {
  app: Express;
  /** The scene every scan in the corpus aims at. */
  sceneId: string;
}
type Case = HostileCase<Ctx>;

const success = { status: 200, shape: 'wechat-success' } as const;
const decryptFailed = ours(400, 'WECHAT_DECRYPT_FAILED');
const xmlMalformed = ours(400, 'WECHAT_XML_MALFORMED');
const forbiddenDtd = ours(400, 'WECHAT_XML_FORBIDDEN_DTD');
const messageInvalid = ours(400, 'WECHAT_MESSAGE_INVALID');
const signatureInvalid = ours(401, 'WECHAT_SIGNATURE_INVALID');
const outOfWindow = ours(401, 'WECHAT_TIMESTAMP_OUT_OF_WINDOW');
const invalidQuery = ours(400, 'INVALID_QUERY');
const encryptionRequired = ours(400, 'WECHAT_ENCRYPTION_REQUIRED');
const tooLarge = ours(413, ['PAYLOAD_TOO_LARGE', 'WECHAT_XML_TOO_LARGE']);
const signedQueryReused = ours(401, 'WECHAT_SIGNED_QUERY_REUSED');

/** A nonce no other case uses: a signed query is good for one body, so cases must not share one. */
const freshNonce = () => String(randomInt(100_000_000, 2_147_483_647));
/** Sends `first`, then `second` under the same signed query; answers with the second. */
const twice = (first: (ctx: Ctx, query: string) => Promise<HttpResponse>, second: (ctx: Ctx, query: string) => Promise<HttpResponse>) => async (ctx: Ctx) => {
  const query = plainQuery({ nonce: freshNonce() });
  const genuine = await first(ctx, query);
  expect(genuine.status).toBe(200);
  return second(ctx, query);
};

/** A push whose Encrypt decrypts to `xml` and whose msg_signature is valid. */
const sealedXml = (xml: string | Buffer) => (ctx: Ctx) => sealedPush(ctx.app, { encrypt: seal(xml) });
/** A push of `encrypt` exactly as given, validly signed. */
const signedEncrypt = (encrypt: (ctx: Ctx) => string) => (ctx: Ctx) => sealedPush(ctx.app, { encrypt: encrypt(ctx) });
const sealedScan = (overrides: Record<string, string | null>) => (ctx: Ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId, overrides)) });
const verify = (query: string) => (ctx: Ctx) => http(ctx.app).get(`${WEBHOOK_PATH}?${query}`);

const BILLION_LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>';
const EXTERNAL_ENTITY = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
const deeplyNested = (depth: number) => `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
const manyFields = (count: number) => Array.from({ length: count }, (_, i) => `<F${i}>x</F${i}>`).join('');

const urlVerification: Case[] = [
  { name: 'GET without any query', send: verify(''), expect: signatureInvalid },
  { name: 'GET with signature twice', send: verify(`${plainQuery({ extra: [['echostr', 'e']] })}&signature=${'0'.repeat(40)}`), expect: invalidQuery },
  { name: 'GET with a 40-character non-hex signature', send: verify(`signature=${'z'.repeat(40)}&timestamp=${nowSeconds()}&nonce=1&echostr=e`), expect: signatureInvalid },
  { name: 'GET with a 41-character signature', send: verify(`signature=${'a'.repeat(41)}&timestamp=${nowSeconds()}&nonce=1&echostr=e`), expect: signatureInvalid },
  { name: 'GET with an operator-shaped signature[$ne]=', send: verify(`signature[$ne]=&timestamp=${nowSeconds()}&nonce=1&echostr=e`), expect: signatureInvalid },
  { name: 'GET with a 10 KB nonce and a signature for another', send: verify(`signature=${'a'.repeat(40)}&timestamp=${nowSeconds()}&nonce=${'9'.repeat(10_240)}&echostr=e`), expect: signatureInvalid },
  { name: 'GET validly signed without echostr', send: verify(plainQuery()), expect: invalidQuery },
  { name: 'GET validly signed with echostr twice', send: verify(plainQuery({ extra: [['echostr', 'a'], ['echostr', 'b']] })), expect: invalidQuery },
  {
    name: 'GET validly signed with an HTML echostr is echoed only as nosniff text',
    send: verify(plainQuery({ extra: [['echostr', '<script>alert(1)</script>']] })),
    expect: { status: 200, shape: 'wechat-echo' },
    also: (res) => expect(res.text).toBe('<script>alert(1)</script>'),
  },
  { name: 'GET with a 100 KB query string', send: (ctx) => sendOversizedHead(ctx.app, 'GET', `${WEBHOOK_PATH}?${plainQuery()}&echostr=${'e'.repeat(100 * 1024)}`), expect: { status: 431, shape: 'node-refusal' } },
  {
    name: 'a URL verification replayed with another echostr (the signature does not cover it)',
    send: twice(
      (ctx, query) => verify(`${query}&echostr=genuine-echo`)(ctx),
      (ctx, query) => verify(`${query}&echostr=${encodeURIComponent('<h1>attacker</h1>')}`)(ctx),
    ),
    expect: signedQueryReused,
    also: (res) => expect(res.text).not.toContain('attacker'),
  },
  {
    name: 'a URL verification repeated with the same echostr is echoed again',
    send: twice(
      (ctx, query) => verify(`${query}&echostr=same-echo`)(ctx),
      (ctx, query) => verify(`${query}&echostr=same-echo`)(ctx),
    ),
    expect: { status: 200, shape: 'wechat-echo' },
    also: (res) => expect(res.text).toBe('same-echo'),
  },
];

const pushQuery: Case[] = [
  { name: 'POST of a sealed scan without any query', send: (ctx) => postWebhook(ctx.app, '', envelopeXml(seal(scanXml(ctx.sceneId)))), expect: signatureInvalid },
  {
    name: 'POST of a sealed scan with a wrong msg_signature',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      return postWebhook(ctx.app, safeModeQuery({ encrypt, msgSignature: '0'.repeat(40) }), envelopeXml(encrypt));
    },
    expect: signatureInvalid,
  },
  {
    name: 'POST with msg_signature twice',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      return postWebhook(ctx.app, `${safeModeQuery({ encrypt })}&msg_signature=${'0'.repeat(40)}`, envelopeXml(encrypt));
    },
    expect: invalidQuery,
  },
  { name: 'POST with timestamp twice', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), extraQuery: [['timestamp', nowSeconds()]] }), expect: invalidQuery },
  { name: 'POST with encrypt_type twice', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), extraQuery: [['encrypt_type', 'aes']] }), expect: invalidQuery },
  {
    name: 'POST with encrypt_type=AES (upper case)',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      return postWebhook(ctx.app, safeModeQuery({ encrypt, omit: ['encrypt_type'], extra: [['encrypt_type', 'AES']] }), envelopeXml(encrypt));
    },
    expect: invalidQuery,
  },
  {
    name: 'POST with an operator-shaped msg_signature[$ne]= instead of msg_signature',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      return postWebhook(ctx.app, safeModeQuery({ encrypt, omit: ['msg_signature'], extra: [['msg_signature[$ne]', '']] }), envelopeXml(encrypt));
    },
    expect: signatureInvalid,
  },
  { name: 'plaintext scan with a valid signature to a safe-mode server', send: (ctx) => postWebhook(ctx.app, plainQuery(), scanXml(ctx.sceneId)), expect: encryptionRequired },
  { name: 'plaintext scan with encrypt_type=raw and a valid signature', send: (ctx) => postWebhook(ctx.app, plainQuery({ extra: [['encrypt_type', 'raw']] }), scanXml(ctx.sceneId)), expect: encryptionRequired },
  {
    name: 'a 10 KB nonce with the msg_signature of another nonce',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      const query = safeModeQuery({ encrypt, nonce: '1' }).replace('nonce=1&', `nonce=${'1'.repeat(10_240)}&`);
      return postWebhook(ctx.app, query, envelopeXml(encrypt));
    },
    expect: signatureInvalid,
  },
  { name: 'a 10 KB nonce, validly signed, on a text message (verified, irrelevant)', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), nonce: '7'.repeat(10_240) }), expect: success },
  { name: 'a replayed (stale) timestamp, validly signed', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), timestamp: nowSeconds(-3600) }), expect: outOfWindow },
  { name: 'a future timestamp, validly signed', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), timestamp: nowSeconds(3600) }), expect: outOfWindow },
  { name: 'a non-numeric timestamp, validly signed', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), timestamp: 'abc' }), expect: outOfWindow },
  { name: 'a negative timestamp, validly signed', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), timestamp: '-1' }), expect: outOfWindow },
  { name: 'a timestamp in milliseconds, validly signed', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId)), timestamp: String(Date.now()) }), expect: outOfWindow },
  {
    name: 'an undecodable %ZZ timestamp, validly signed',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      // Written raw: the query parser keeps "%ZZ" as it is, so that is what gets signed.
      const query = safeModeQuery({ encrypt, timestamp: '%ZZ' }).replace('timestamp=%25ZZ', 'timestamp=%ZZ');
      return postWebhook(ctx.app, query, envelopeXml(encrypt));
    },
    expect: outOfWindow,
  },
  {
    name: 'a captured valid query replayed with a different Encrypt',
    send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: seal(textXml('captured')) }), envelopeXml(seal(scanXml(ctx.sceneId)))),
    expect: signatureInvalid,
  },
  { name: 'POST with a 100 KB query string', send: (ctx) => sendOversizedHead(ctx.app, 'POST', `${WEBHOOK_PATH}?${plainQuery()}&pad=${'p'.repeat(100 * 1024)}`, '<xml/>'), expect: { status: 431, shape: 'node-refusal' } },
];

const bodies: Case[] = [
  {
    name: 'a JSON body (application/json) with a validly signed Encrypt',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      return postWebhook(ctx.app, safeModeQuery({ encrypt }), JSON.stringify({ ToUserName: 'gh_simulator00', Encrypt: encrypt }), 'application/json');
    },
    expect: xmlMalformed,
  },
  {
    name: 'a form body (x-www-form-urlencoded) with a validly signed Encrypt',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      return postWebhook(ctx.app, safeModeQuery({ encrypt }), new URLSearchParams({ Encrypt: encrypt }).toString(), 'application/x-www-form-urlencoded');
    },
    expect: xmlMalformed,
  },
  { name: 'an empty body', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), ''), expect: ours(400, ['WECHAT_XML_MALFORMED', 'WECHAT_MESSAGE_INVALID']) },
  {
    name: 'an envelope truncated inside its Encrypt',
    send: (ctx) => {
      const encrypt = seal(scanXml(ctx.sceneId));
      const body = envelopeXml(encrypt);
      return postWebhook(ctx.app, safeModeQuery({ encrypt }), body.slice(0, Math.floor(body.length / 2)));
    },
    expect: xmlMalformed,
  },
  { name: 'a body one byte over 64 KiB', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), `<xml>${'a'.repeat(64 * 1024 - 10)}</xml>`), expect: tooLarge },
  { name: 'a 1 MB body', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), `<xml>${'a'.repeat(1024 * 1024)}</xml>`), expect: tooLarge },
  {
    name: 'a gzip bomb (10 MB inflated from ~10 KB)',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${WEBHOOK_PATH}?${safeModeQuery({ encrypt: 'x' })}`).set('Content-Type', 'text/xml').set('Content-Encoding', 'gzip').send(gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x61)))),
    expect: tooLarge,
  },
  {
    name: 'Content-Encoding: gzip on a body that is not gzip',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${WEBHOOK_PATH}?${safeModeQuery({ encrypt: 'x' })}`).set('Content-Type', 'text/xml').set('Content-Encoding', 'gzip').send(Buffer.from('<xml><Encrypt>x</Encrypt></xml>'))),
    expect: ours([400, 415]),
  },
  {
    name: 'an unknown Content-Encoding',
    send: (ctx) => Promise.resolve(http(ctx.app).post(`${WEBHOOK_PATH}?${safeModeQuery({ encrypt: 'x' })}`).set('Content-Type', 'text/xml').set('Content-Encoding', 'x-hostile').send('<xml/>')),
    expect: ours(415, 'UNSUPPORTED_MEDIA_TYPE'),
  },
  { name: 'an unknown charset', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), '<xml/>', 'text/xml; charset=x-hostile'), expect: ours(415, 'UNSUPPORTED_MEDIA_TYPE') },
  { name: 'no Content-Type on a sealed text message (verified, irrelevant)', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), contentType: null }), expect: success },
  { name: 'text/plain on a sealed text message (verified, irrelevant)', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), contentType: 'text/plain' }), expect: success },
  { name: 'a BOM before the envelope of a sealed text message', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), envelope: (e) => `\uFEFF${envelopeXml(e)}` }), expect: success },
  {
    name: 'an overlong UTF-8 sequence (C0 AF) in the envelope of a sealed text message',
    send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), envelope: (e) => Buffer.concat([Buffer.from('<xml><ToUserName>'), Buffer.from([0xc0, 0xaf]), Buffer.from(`</ToUserName><Encrypt>${cdata(e)}</Encrypt></xml>`)]) }),
    expect: success,
  },
  { name: 'PUT on the webhook', send: (ctx) => Promise.resolve(http(ctx.app).put(WEBHOOK_PATH).set('Content-Type', 'text/xml').send('<xml/>')), expect: ours(404, 'NOT_FOUND') },
  { name: 'DELETE on the webhook', send: (ctx) => Promise.resolve(http(ctx.app).delete(WEBHOOK_PATH)), expect: ours(404, 'NOT_FOUND') },
];

const xmlAttacks: Case[] = [
  { name: 'billion laughs in the (unauthenticated) envelope', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), `${BILLION_LAUGHS}<xml><Encrypt>&e;</Encrypt></xml>`), expect: forbiddenDtd },
  { name: 'external entity file:///etc/passwd in the envelope', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), `${EXTERNAL_ENTITY}<xml><Encrypt>&xxe;</Encrypt></xml>`), expect: forbiddenDtd },
  { name: 'a DOCTYPE hidden after a comment in the envelope', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), `<!-- hi -->${EXTERNAL_ENTITY}<xml><Encrypt>&xxe;</Encrypt></xml>`), expect: forbiddenDtd },
  {
    name: 'a parameter entity fetching http://127.0.0.1:1/ in the envelope',
    send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x"> %p;]><xml><Encrypt>x</Encrypt></xml>'),
    expect: forbiddenDtd,
  },
  { name: 'external entity file:///etc/passwd inside a sealed scan', send: (ctx) => sealedXml(`${EXTERNAL_ENTITY}${scanXml(ctx.sceneId, { FromUserName: '&xxe;' })}`)(ctx), expect: forbiddenDtd },
  { name: 'billion laughs inside a sealed scan', send: (ctx) => sealedXml(`${BILLION_LAUGHS}${scanXml(ctx.sceneId, { Ticket: '&e;' })}`)(ctx), expect: forbiddenDtd },
  { name: 'an undeclared entity &xxe; in a sealed EventKey', send: sealedScan({ EventKey: '&xxe;' }), expect: xmlMalformed },
  { name: 'the character reference &#0; in a sealed EventKey', send: sealedScan({ EventKey: 'a&#0;' }), expect: xmlMalformed },
  { name: 'a lone-surrogate reference &#xD800; in a sealed EventKey', send: sealedScan({ EventKey: '&#xD800;' }), expect: xmlMalformed },
  { name: 'an out-of-range reference &#x110000; in a sealed EventKey', send: sealedScan({ EventKey: '&#x110000;' }), expect: xmlMalformed },
  {
    // The parser tolerates a stray "]]>" in text; what matters is that the joined key is no scene id.
    name: 'CDATA injection: "]]>" closing early, the scene id in a second section',
    send: (ctx) => sealedScan({ EventKey: `<![CDATA[x]]>]]><![CDATA[${ctx.sceneId}]]>` })(ctx),
    expect: success,
  },
  {
    name: 'CDATA injection smuggling an <EventKey> element inside Content',
    send: (ctx) => sealedXml(textXml(`<![CDATA[hi]]><EventKey>${ctx.sceneId}</EventKey><![CDATA[]]>`))(ctx),
    expect: xmlMalformed,
  },
  { name: 'EventKey twice (junk, then the scene id)', send: (ctx) => sealedXml(scanXml(ctx.sceneId).replace('<EventKey>', '<EventKey>junk</EventKey><EventKey>'))(ctx), expect: xmlMalformed },
  { name: 'Encrypt twice in the envelope', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), envelope: (e) => envelopeXml(e, `<Encrypt>${cdata(seal(scanXml(ctx.sceneId)))}</Encrypt>`) }), expect: xmlMalformed },
  { name: 'two <xml> root elements', send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), envelope: (e) => `${envelopeXml(e)}${envelopeXml(e)}` }), expect: xmlMalformed },
  { name: 'the scene id nested in an element inside EventKey', send: (ctx) => sealedScan({ EventKey: `<a>${ctx.sceneId}</a>` })(ctx), expect: xmlMalformed },
  { name: 'CDATA directly inside <xml>', send: (ctx) => sealedXml(scanXml(ctx.sceneId).replace('<xml>', '<xml><![CDATA[x]]>'))(ctx), expect: xmlMalformed },
  { name: 'a <__proto__> element in a sealed scan', send: sealedScan(JSON.parse('{"__proto__":"x"}') as Record<string, string>), expect: xmlMalformed },
  { name: 'a <constructor> element in a sealed scan', send: sealedScan({ constructor: 'x' }), expect: xmlMalformed },
  { name: 'XML nested 3000 deep in the envelope', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), `<xml>${deeplyNested(3000)}</xml>`), expect: xmlMalformed },
  { name: 'XML nested 2000 deep inside a sealed scan', send: (ctx) => sealedScan({ Nest: deeplyNested(2000) })(ctx), expect: xmlMalformed },
  { name: '3500 fields in an envelope with a wrong msg_signature', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'another' }), `<xml>${manyFields(3500)}<Encrypt>x</Encrypt></xml>`), expect: signatureInvalid },
  { name: '3000 fields inside a sealed text message (verified, irrelevant)', send: sealedXml(textXml('hi').replace('</xml>', `${manyFields(3000)}</xml>`)), expect: success },
  { name: 'a processing instruction naming /etc/passwd before a sealed text message', send: sealedXml(`<?xml-stylesheet href="file:///etc/passwd"?>${textXml('hi')}`), expect: success },
];

const aesEnvelopes: Case[] = [
  { name: 'a valid envelope sealed for another appid', send: signedEncrypt((ctx) => seal(scanXml(ctx.sceneId), { appId: 'wxffffffffffffffff' })), expect: ours(401, 'WECHAT_APPID_MISMATCH') },
  { name: 'a valid envelope with an empty appid', send: signedEncrypt((ctx) => seal(scanXml(ctx.sceneId), { appId: '' })), expect: ours(401, 'WECHAT_APPID_MISMATCH') },
  { name: 'a valid envelope with our appid followed by NUL', send: signedEncrypt((ctx) => seal(scanXml(ctx.sceneId), { appId: 'wxtest00000000000a\u0000' })), expect: ours(401, 'WECHAT_APPID_MISMATCH') },
  { name: 'an envelope sealed with another account\'s EncodingAESKey', send: signedEncrypt((ctx) => encryptPadded(padTo32(frame(scanXml(ctx.sceneId))), FOREIGN_AES_KEY)), expect: decryptFailed },
  { name: 'a ciphertext with one byte flipped in the middle', send: signedEncrypt((ctx) => flipMiddleByte(seal(scanXml(ctx.sceneId)))), expect: ours(400, ['WECHAT_DECRYPT_FAILED', 'WECHAT_XML_MALFORMED']) },
  { name: 'truncated base64 (last quad dropped)', send: signedEncrypt((ctx) => seal(scanXml(ctx.sceneId)).slice(0, -4)), expect: decryptFailed },
  { name: 'truncated base64 (last character dropped)', send: signedEncrypt((ctx) => seal(scanXml(ctx.sceneId)).slice(0, -1)), expect: decryptFailed },
  { name: 'a non-base64 character in the ciphertext', send: signedEncrypt((ctx) => { const e = seal(scanXml(ctx.sceneId)); return `${e.slice(0, 40)}*${e.slice(41)}`; }), expect: decryptFailed },
  { name: 'base64url characters instead of base64', send: signedEncrypt((ctx) => `-_${seal(scanXml(ctx.sceneId)).slice(2)}`), expect: decryptFailed },
  { name: 'a line break inside the base64', send: signedEncrypt((ctx) => { const e = seal(scanXml(ctx.sceneId)); return `${e.slice(0, 64)}\n${e.slice(64)}`; }), expect: decryptFailed },
  { name: 'valid base64 of 40 bytes (not whole AES blocks)', send: signedEncrypt(() => Buffer.alloc(40, 7).toString('base64')), expect: decryptFailed },
  { name: 'the last AES block dropped (whole blocks, broken padding)', send: signedEncrypt((ctx) => Buffer.from(seal(scanXml(ctx.sceneId)), 'base64').subarray(0, -16).toString('base64')), expect: decryptFailed },
  // The control for the padding cases below: the same builder with correct padding is accepted.
  { name: 'control: a hand-padded text message (16 pad bytes of 16) is accepted', send: signedEncrypt(() => encryptPadded(framedWithPad(textXml('hi'), Array(16).fill(16)))), expect: success },
  { name: 'pad byte 0', send: signedEncrypt((ctx) => encryptPadded(framedWithPad(scanXml(ctx.sceneId), Array(16).fill(0)))), expect: decryptFailed },
  { name: 'pad byte 33', send: signedEncrypt((ctx) => encryptPadded(framedWithPad(scanXml(ctx.sceneId), Array(33).fill(33)))), expect: decryptFailed },
  { name: 'inconsistent pad bytes', send: signedEncrypt((ctx) => encryptPadded(framedWithPad(scanXml(ctx.sceneId), [8, 8, 8, 7, 8, 8, 8, 8]))), expect: decryptFailed },
  { name: 'only padding: no header, no message', send: signedEncrypt(() => encryptPadded(Buffer.alloc(32, 32))), expect: decryptFailed },
  { name: 'a length field far beyond the plaintext', send: signedEncrypt((ctx) => encryptPadded(padTo32(frame(scanXml(ctx.sceneId), { lengthField: 0xffffffff })))), expect: decryptFailed },
  {
    name: 'a length field shorter than the message',
    send: signedEncrypt((ctx) => { const xml = scanXml(ctx.sceneId); return encryptPadded(padTo32(frame(xml, { lengthField: Buffer.byteLength(xml) - 5 }))); }),
    expect: ours(401, 'WECHAT_APPID_MISMATCH'),
  },
  { name: 'an overlong UTF-8 sequence (C0 AF) inside the sealed message', send: (ctx) => sealedXml(Buffer.concat([Buffer.from(scanXml(ctx.sceneId).replace('</xml>', '<Content>')), Buffer.from([0xc0, 0xaf]), Buffer.from('</Content></xml>')]))(ctx), expect: decryptFailed },
  { name: 'CESU-encoded surrogate bytes (ED A0 80) inside the sealed message', send: (ctx) => sealedXml(Buffer.concat([Buffer.from(scanXml(ctx.sceneId).replace('</xml>', '<Content>')), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('</Content></xml>')]))(ctx), expect: decryptFailed },
  { name: 'an empty Encrypt', send: (ctx) => sealedPush(ctx.app, { encrypt: '' }), expect: messageInvalid },
  { name: 'an Encrypt holding elements', send: (ctx) => postWebhook(ctx.app, safeModeQuery({ encrypt: 'x' }), '<xml><Encrypt><a>x</a></Encrypt></xml>'), expect: xmlMalformed },
  {
    name: 'compatible mode whose plain copy says SCAN but whose sealed message is text',
    send: (ctx) => sealedPush(ctx.app, { encrypt: seal(textXml('hi')), envelope: (e) => scanXml(ctx.sceneId).replace('</xml>', `<Encrypt>${cdata(e)}</Encrypt></xml>`) }),
    expect: success,
  },
];

const eventFields: Case[] = [
  { name: 'CreateTime non-numeric in a sealed scan', send: sealedScan({ CreateTime: 'yesterday' }), expect: messageInvalid },
  { name: 'CreateTime negative in a sealed scan', send: sealedScan({ CreateTime: '-1714112445' }), expect: messageInvalid },
  { name: 'CreateTime of 13 digits in a sealed scan', send: sealedScan({ CreateTime: String(Date.now()) }), expect: messageInvalid },
  { name: 'CreateTime empty in a sealed scan', send: sealedScan({ CreateTime: '' }), expect: messageInvalid },
  { name: 'FromUserName missing from a sealed scan', send: sealedScan({ FromUserName: null }), expect: messageInvalid },
  { name: 'ToUserName missing from a sealed scan', send: sealedScan({ ToUserName: null }), expect: messageInvalid },
  { name: 'MsgType missing from a sealed scan', send: sealedScan({ MsgType: null }), expect: messageInvalid },
  { name: 'a SCAN whose EventKey is operator-shaped JSON', send: sealedScan({ EventKey: cdata('{"$gt":""}') }), expect: success },
  { name: 'a SCAN whose EventKey is {"$regex":".*"}', send: sealedScan({ EventKey: cdata('{"sceneId":{"$regex":".*"}}') }), expect: success },
  { name: 'a SCAN whose EventKey is 10 KB long', send: sealedScan({ EventKey: cdata('k'.repeat(10_240)) }), expect: success },
  { name: 'a SCAN whose EventKey is the scene id plus a newline', send: (ctx) => sealedScan({ EventKey: cdata(`${ctx.sceneId}\n`) })(ctx), expect: success },
  { name: 'a SCAN whose EventKey is a space plus the scene id', send: (ctx) => sealedScan({ EventKey: cdata(` ${ctx.sceneId}`) })(ctx), expect: success },
  { name: 'a SCAN whose EventKey is the scene id plus NUL', send: (ctx) => sealedScan({ EventKey: cdata(`${ctx.sceneId}\u0000`) })(ctx), expect: success },
  { name: 'a SCAN whose EventKey hides the scene id behind an RTL override', send: (ctx) => sealedScan({ EventKey: cdata(`\u202E${ctx.sceneId}`) })(ctx), expect: success },
  { name: 'a SCAN whose EventKey is the scene id plus an emoji', send: (ctx) => sealedScan({ EventKey: cdata(`${ctx.sceneId}😀`) })(ctx), expect: success },
  { name: 'a SCAN whose EventKey has the subscribe prefix qrscene_', send: (ctx) => sealedScan({ EventKey: cdata(`qrscene_${ctx.sceneId}`) })(ctx), expect: success },
  { name: 'a subscribe whose EventKey lacks the qrscene_ prefix', send: (ctx) => sealedScan({ Event: cdata('subscribe'), EventKey: cdata(ctx.sceneId) })(ctx), expect: success },
  { name: 'an Event "SCAN " with a trailing space', send: sealedScan({ Event: cdata('SCAN ') }), expect: success },
  { name: 'MsgType text carrying Event SCAN and the scene id', send: sealedScan({ MsgType: cdata('text') }), expect: success },
  { name: 'a sealed text message of NUL, an RTL override and emoji', send: sealedXml(textXml(cdata('a\u0000b\u202Ec😀'))), expect: success },
];

/**
 * Plain mode: WeChat's `signature` covers Token + timestamp + nonce, never the body. Each signed
 * query is good for one body (and the same body again: WeChat's retry). Run against a plain-mode
 * server; the scan bodies aim at that server's own target scene.
 */
const plainPush = (ctx: Ctx, query: string, xml: string) => postWebhook(ctx.app, query, xml);
const plainReplays: Case[] = [
  {
    name: "a plain push's signed query replayed with another body (a scan of the target scene)",
    send: twice(
      (ctx, query) => plainPush(ctx, query, textXml('genuine')),
      (ctx, query) => plainPush(ctx, query, scanXml(ctx.sceneId)),
    ),
    expect: signedQueryReused,
  },
  {
    name: "a URL verification's signed query reused for a plain push",
    send: twice(
      (ctx, query) => verify(`${query}&echostr=e`)(ctx),
      (ctx, query) => plainPush(ctx, query, scanXml(ctx.sceneId)),
    ),
    expect: signedQueryReused,
  },
  {
    name: "a plain push's signed query reused for a URL verification",
    send: twice(
      (ctx, query) => plainPush(ctx, query, textXml('genuine')),
      (ctx, query) => verify(`${query}&echostr=e`)(ctx),
    ),
    expect: signedQueryReused,
  },
  {
    name: 'a plain push replayed with its own body plus a trailing space',
    send: twice(
      (ctx, query) => plainPush(ctx, query, textXml('genuine')),
      (ctx, query) => plainPush(ctx, query, `${textXml('genuine')} `),
    ),
    expect: signedQueryReused,
  },
  {
    name: "a plain push repeated with the same body (WeChat's retry) is acknowledged again",
    send: (ctx) => {
      const body = textXml('retried');
      return twice(
        (c, query) => plainPush(c, query, body),
        (c, query) => plainPush(c, query, body),
      )(ctx);
    },
    expect: success,
  },
];

const BATCHES: Record<string, Case[]> = {
  'URL verification (GET)': urlVerification,
  'the query of a push': pushQuery,
  'bodies, content types and sizes': bodies,
  'XML attacks': xmlAttacks,
  'the AES envelope': aesEnvelopes,
  'event fields of a verified push': eventFields,
};

let harness: WechatHarness;
let ctx: Ctx;
let owner: Browser;
let before: StoreCounts;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe' });
  owner = browser(harness.runtime.app);
  ctx = { app: harness.runtime.app, sceneId: (await requestQrcode(owner)).sceneId };
  before = await countStore(harness.runtime.database.db);
});
afterAll(async () => {
  await harness?.close();
});

describe('hostile input: the webhook', () => {
  describeBatches(BATCHES, () => ctx, async (current) => {
    const verified = await sealedPush(current.app, { encrypt: seal(textXml('still there?')) });
    expect(verified.text).toBe('success');
  });

  it('recorded nothing: the scene is pending, no dedupe record, claim, user or session', async () => {
    const db = harness.runtime.database.db;
    await expectScenePending(db, ctx.sceneId);
    expect(await countStore(db)).toEqual(before);
    const poll = await owner.get(`/api/v1/pub/mp/get-scan-result?sceneId=${ctx.sceneId}`);
    expect(poll.body).toEqual({ success: true, data: { status: 'pending', scanned: false } });
  });

  it('a URL verification raced with two echostrs under one signed query: exactly one is echoed', async () => {
    const query = plainQuery({ nonce: freshNonce() });
    const answers = await Promise.all(['first-echo', 'second-echo'].map((echostr) => http(ctx.app).get(`${WEBHOOK_PATH}?${query}&echostr=${echostr}`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it('a genuine scan of the same scene still works afterwards', async () => {
    const user = newWechatUser({ subscribed: true });
    const push = await sealedPush(ctx.app, { encrypt: seal(scanXml(ctx.sceneId, { FromUserName: cdata(user.openid) })) });
    expect(push.status).toBe(200);
    const poll = await owner.get(`/api/v1/pub/mp/get-scan-result?sceneId=${ctx.sceneId}`);
    expect(poll.body.data).toEqual({ status: 'scanned', scanned: true });
    const scene = await harness.runtime.database.db.collection(SCENE_COLLECTION).findOne({ _id: ctx.sceneId as never });
    expect(scene).toMatchObject({ status: 'scanned', openid: user.openid });
  });
});

describe('hostile input: the webhook in plain mode', () => {
  let plain: WechatHarness;
  let plainCtx: Ctx;
  let plainOwner: Browser;
  let plainBefore: StoreCounts;
  beforeAll(async () => {
    plain = await startWechatHarness({ mode: 'plain' });
    plainOwner = browser(plain.runtime.app);
    plainCtx = { app: plain.runtime.app, sceneId: (await requestQrcode(plainOwner)).sceneId };
    plainBefore = await countStore(plain.runtime.database.db);
  });
  afterAll(async () => {
    await plain?.close();
  });

  describeBatches({ 'replayed signed queries': plainReplays }, () => plainCtx, async (current) => {
    const verified = await postWebhook(current.app, plainQuery({ nonce: freshNonce() }), textXml('still there?'));
    expect(verified.text).toBe('success');
  });

  it('the same signed query raced with two bodies: exactly one is acknowledged', async () => {
    const query = plainQuery({ nonce: freshNonce() });
    const answers = await Promise.all([postWebhook(plainCtx.app, query, textXml('one')), postWebhook(plainCtx.app, query, textXml('two'))]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    expect(answers.find((answer) => answer.status === 401)!.body.error.code).toBe('WECHAT_SIGNED_QUERY_REUSED');
  });

  it('recorded nothing: the scene is pending, no dedupe record, claim, user or session', async () => {
    const db = plain.runtime.database.db;
    await expectScenePending(db, plainCtx.sceneId);
    expect(await countStore(db)).toEqual(plainBefore);
  });
});
