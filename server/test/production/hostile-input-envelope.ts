import { createCipheriv, createHash } from 'node:crypto';
import type { Express } from 'express';
import { TEST_WECHAT } from '../support/wechat-harness.js';
import { http, queryString, type HttpResponse } from './hostile-input-corpus.js';

/**
 * Hostile WeChat pushes built by hand with node:crypto (not with the server's own code, so the
 * corpus can catch a mistake there): safe-mode AES-256-CBC with the test EncodingAESKey, and
 * envelopes whose msg_signature is valid for whatever Encrypt they carry, so only the
 * decryption layer (or what comes after it) can refuse them.
 */

export const WEBHOOK_PATH = '/api/v1/pub/mp/webhook';
export const GH_ID = 'gh_simulator00';

const AES_KEY = Buffer.from(`${TEST_WECHAT.encodingAESKey}=`, 'base64');
/** Another account's key: a well-formed envelope that is not ours. */
export const FOREIGN_AES_KEY = Buffer.from(`${'Z'.repeat(42)}A=`, 'base64');
/** A fixed "random" prefix keeps every tampered ciphertext, and so its refusal, reproducible. */
const FIXED_PREFIX = Buffer.from('hostile-corpus16', 'utf8');
const PAD_BLOCK_BYTES = 32;
const AES_BLOCK_BYTES = 16;

function sha1OfSorted(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

export function nowSeconds(offsetSeconds = 0): string {
  return String(Math.floor(Date.now() / 1000) + offsetSeconds);
}

export function cdata(text: string): string {
  return `<![CDATA[${text}]]>`;
}

/** `<xml>` with each value written as given (raw markup), in order; null leaves the field out. */
export function xmlOf(fields: Readonly<Record<string, string | null>>): string {
  const body = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, inner]) => `<${name}>${inner}</${name}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

/** A SCAN of `sceneId` as WeChat would push it; `overrides` replace fields with raw markup. */
export function scanXml(sceneId: string, overrides: Readonly<Record<string, string | null>> = {}): string {
  return xmlOf({
    ToUserName: cdata(GH_ID),
    FromUserName: cdata('oHostileCorpusUser000000000'),
    CreateTime: nowSeconds(),
    MsgType: cdata('event'),
    Event: cdata('SCAN'),
    EventKey: cdata(sceneId),
    Ticket: cdata('gQHostileTicket'),
    ...overrides,
  });
}

/** A text message: verified, but nothing the login flow acts on. */
export function textXml(content: string): string {
  return xmlOf({
    ToUserName: cdata(GH_ID),
    FromUserName: cdata('oHostileCorpusUser000000000'),
    CreateTime: nowSeconds(),
    MsgType: cdata('text'),
    Content: content,
    MsgId: '23456789012345678',
  });
}

export interface FrameOptions {
  appId?: string;
  /** Written into the 4-byte length field instead of the message's real length. */
  lengthField?: number;
}

/** random(16) + length(4, big-endian) + message + appid, before padding. */
export function frame(message: string | Buffer, { appId = TEST_WECHAT.appId, lengthField }: FrameOptions = {}): Buffer {
  const messageBytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(lengthField ?? messageBytes.length);
  return Buffer.concat([FIXED_PREFIX, length, messageBytes, Buffer.from(appId, 'utf8')]);
}

/** WeChat's PKCS#7 to a multiple of 32 bytes. */
export function padTo32(plain: Buffer): Buffer {
  const count = PAD_BLOCK_BYTES - (plain.length % PAD_BLOCK_BYTES);
  return Buffer.concat([plain, Buffer.alloc(count, count)]);
}

/**
 * `message` framed and followed by exactly the pad bytes given, the message first stretched with
 * trailing spaces (legal after `</xml>`) so the whole is a whole number of AES blocks.
 */
export function framedWithPad(message: string, padBytes: readonly number[], options: FrameOptions = {}): Buffer {
  let stretched = message;
  while ((frame(stretched, options).length + padBytes.length) % AES_BLOCK_BYTES !== 0) stretched += ' ';
  return Buffer.concat([frame(stretched, options), Buffer.from(padBytes)]);
}

/** AES-256-CBC over bytes that are already padded (or deliberately padded wrong). */
export function encryptPadded(padded: Buffer, key: Buffer = AES_KEY): string {
  if (padded.length % AES_BLOCK_BYTES !== 0) throw new RangeError('encryptPadded needs whole AES blocks');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, AES_BLOCK_BYTES));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** A correctly sealed message (for our appid unless told otherwise). */
export function seal(message: string | Buffer, options: FrameOptions = {}): string {
  return encryptPadded(padTo32(frame(message, options)));
}

/** Flips one bit of the byte in the middle of the ciphertext. */
export function flipMiddleByte(encrypt: string): string {
  const bytes = Buffer.from(encrypt, 'base64');
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

export interface SignedQueryInput {
  encrypt: string;
  timestamp?: string;
  nonce?: string;
  /** Extra or replacement pairs, appended as written (duplicates included). */
  extra?: ReadonlyArray<readonly [string, string]>;
  /** Leave these standard parameters out. */
  omit?: readonly string[];
  msgSignature?: string;
}

/** The query of a safe-mode push whose msg_signature matches `encrypt` (unless overridden). */
export function safeModeQuery({ encrypt, timestamp = nowSeconds(), nonce = '1234567890', extra = [], omit = [], msgSignature }: SignedQueryInput): string {
  const pairs: Array<readonly [string, string]> = [
    ['signature', sha1OfSorted([TEST_WECHAT.token, timestamp, nonce])],
    ['timestamp', timestamp],
    ['nonce', nonce],
    ['openid', 'oHostileCorpusUser000000000'],
    ['encrypt_type', 'aes'],
    ['msg_signature', msgSignature ?? sha1OfSorted([TEST_WECHAT.token, timestamp, nonce, encrypt])],
  ];
  return queryString([...pairs.filter(([name]) => !omit.includes(name)), ...extra]);
}

/** The query of a plaintext push (or URL verification) with a valid `signature`. */
export function plainQuery({ timestamp = nowSeconds(), nonce = '1234567890', extra = [] }: { timestamp?: string; nonce?: string; extra?: ReadonlyArray<readonly [string, string]> } = {}): string {
  return queryString([['signature', sha1OfSorted([TEST_WECHAT.token, timestamp, nonce])], ['timestamp', timestamp], ['nonce', nonce], ...extra]);
}

export function envelopeXml(encrypt: string, extraFields = ''): string {
  return `<xml><ToUserName>${cdata(GH_ID)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt>${extraFields}</xml>`;
}

export function postWebhook(app: Express, query: string, body: string | Buffer, contentType: string | null = 'text/xml'): Promise<HttpResponse> {
  const test = http(app).post(`${WEBHOOK_PATH}?${query}`);
  // superagent would label a bare string as a form: without a type, send bytes.
  if (contentType === null) return Promise.resolve(test.send(Buffer.from(body)));
  return Promise.resolve(test.set('Content-Type', contentType).send(body));
}

export interface SealedPushInput {
  /** The Encrypt element's text, however it was made. */
  encrypt: string;
  timestamp?: string;
  nonce?: string;
  extraQuery?: ReadonlyArray<readonly [string, string]>;
  /** Builds the envelope around Encrypt (default: safe mode's ToUserName + Encrypt). */
  envelope?: (encrypt: string) => string | Buffer;
  contentType?: string | null;
}

/** A safe-mode push with a msg_signature that is valid for its Encrypt. */
export function sealedPush(app: Express, { encrypt, timestamp, nonce, extraQuery, envelope = envelopeXml, contentType = 'text/xml' }: SealedPushInput): Promise<HttpResponse> {
  const query = safeModeQuery({ encrypt, ...(timestamp ? { timestamp } : {}), ...(nonce ? { nonce } : {}), ...(extraQuery ? { extra: extraQuery } : {}) });
  return postWebhook(app, query, envelope(encrypt), contentType);
}
