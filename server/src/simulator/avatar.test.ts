import { inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWechatSimulatorServer, type RunningWechatSimulator } from './index.js';

let running: RunningWechatSimulator;

beforeEach(async () => {
  running = await startWechatSimulatorServer({ appId: 'wx0123456789abcdef', appSecret: 's', token: 't', messageMode: 'plain', webhookUrl: 'http://127.0.0.1:9/unused' });
});

afterEach(async () => {
  await running.close();
});

/** CRC-32 as the PNG specification writes it, bit by bit: independent of the code under test. */
function referenceCrc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface Chunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into chunks, checking each one's CRC on the way. */
function readChunks(png: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(referenceCrc32(typeAndData));
    chunks.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
}

/** The decoded pixels of an 8-bit RGB PNG without filters: one [r,g,b] per pixel. */
function decodePixels(chunks: Chunk[], sizePx: number): string[] {
  const raw = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
  const stride = 1 + sizePx * 3;
  expect(raw.length).toBe(sizePx * stride);
  const pixels: string[] = [];
  for (let row = 0; row < sizePx; row += 1) {
    expect(raw[row * stride]).toBe(0); // filter type None
    for (let x = 0; x < sizePx; x += 1) pixels.push(raw.subarray(row * stride + 1 + x * 3, row * stride + 4 + x * 3).toString('hex'));
  }
  return pixels;
}

async function fetchAvatar(path: string): Promise<Response> {
  return fetch(`${running.url}${path}`);
}

describe('GET /mmopen/:openid/:size (the headimgurl images)', () => {
  it('is a valid PNG: signature, IHDR 132×132 8-bit RGB, correct CRCs, one solid colour, IEND last', async () => {
    const response = await fetchAvatar('/mmopen/oAvatarUser0000000000000001/132');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const chunks = readChunks(png);
    expect(chunks[0]?.type).toBe('IHDR');
    const header = chunks[0]!.data;
    expect({ width: header.readUInt32BE(0), height: header.readUInt32BE(4), bitDepth: header[8], colourType: header[9], compression: header[10], filter: header[11], interlace: header[12] }).toEqual({
      width: 132,
      height: 132,
      bitDepth: 8,
      colourType: 2,
      compression: 0,
      filter: 0,
      interlace: 0,
    });
    expect(chunks.at(-1)).toEqual({ type: 'IEND', data: Buffer.alloc(0) });
    expect(new Set(decodePixels(chunks, 132)).size).toBe(1);
  });

  it('the same openid always gets the same picture, another openid another colour; size 0 is the 640 px original', async () => {
    const colourOf = async (path: string, sizePx: number) => decodePixels(readChunks(Buffer.from(await (await fetchAvatar(path)).arrayBuffer())), sizePx)[0];
    const first = await colourOf('/mmopen/oAvatarUser0000000000000001/46', 46);
    expect(await colourOf('/mmopen/oAvatarUser0000000000000001/64', 64)).toBe(first);
    expect(await colourOf('/mmopen/oAvatarUser0000000000000002/46', 46)).not.toBe(first);
    const original = readChunks(Buffer.from(await (await fetchAvatar('/mmopen/oAvatarUser0000000000000001/0')).arrayBuffer()));
    expect(original[0]!.data.readUInt32BE(0)).toBe(640);
    expect(running.simulator.stats.avatarDownloads).toBe(4);
  });

  it.each([
    ['a size WeChat does not serve', '/mmopen/oAvatarUser0000000000000001/50'],
    ['an openid outside WeChat\'s alphabet', '/mmopen/o%3Cscript%3E/132'],
    ['an over-long openid', `/mmopen/${'o'.repeat(65)}/132`],
  ])('404 for %s', async (_name, path) => {
    const response = await fetchAvatar(path);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).not.toContain('image/png');
  });
});
