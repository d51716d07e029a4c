import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * The avatars behind the simulated headimgurl: real PNG files (our server downloads and keeps
 * them, so they must decode), one solid colour per openid so that two users look different.
 */

export type Rgb = readonly [red: number, green: number, blue: number];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIT_DEPTH_8 = 8;
const COLOUR_TYPE_RGB = 2;
const FILTER_NONE = 0;

/** A chunk: length, type, data, and the CRC-32 of type + data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A `sizePx` × `sizePx` square of one colour, 8-bit RGB, not interlaced. */
export function solidColourPng(sizePx: number, colour: Rgb): Buffer {
  if (!Number.isSafeInteger(sizePx) || sizePx < 1 || sizePx > 4096) throw new RangeError('sizePx must be 1..4096');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(sizePx, 0);
  header.writeUInt32BE(sizePx, 4);
  header.writeUInt8(BIT_DEPTH_8, 8);
  header.writeUInt8(COLOUR_TYPE_RGB, 9);
  // Compression, filter method and interlace are all 0 (the only defined / the plain choice).
  const row = Buffer.alloc(1 + sizePx * 3);
  row[0] = FILTER_NONE;
  for (let x = 0; x < sizePx; x += 1) row.set(colour, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: sizePx }, () => row));
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(pixels)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A colour from the openid's hash, kept mid-bright so it never reads as "no picture". */
export function avatarColourFor(openid: string): Rgb {
  const digest = createHash('sha256').update(openid).digest();
  const channel = (index: number): number => 48 + (digest[index]! % 160);
  return [channel(0), channel(1), channel(2)];
}
