import type { Request } from 'express';
import { AVATAR_CONTENT_TYPES, type AvatarContentType } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import { sniffImageType } from './image-type.js';

export interface CheckedAvatar {
  bytes: Buffer;
  /** What the bytes are, whatever the label said. */
  contentType: AvatarContentType;
}

const ACCEPTED = AVATAR_CONTENT_TYPES.join(', ');

export const unsupportedAvatarType = () =>
  new AppError(415, 'UNSUPPORTED_AVATAR_TYPE', `An avatar must be a PNG, JPEG, WebP or GIF image (${ACCEPTED}).`);

export const avatarTooLarge = (maxBytes: number) =>
  new AppError(413, 'AVATAR_TOO_LARGE', `An avatar may be at most ${maxBytes} bytes.`, { maxBytes });

/** `image/PNG; charset=x` → `image/png`. */
function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads at most `maxBytes` of the body. An oversized upload is refused as soon as it is known
 * (from Content-Length, else once the count passes the limit), and the connection is closed
 * rather than drained, so a client cannot make us read a large body we will refuse anyway.
 */
async function readBodyUpTo(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) throw avatarTooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw avatarTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

/**
 * The upload as we store it, or the AppError that refuses it: 415 for a label or content that is
 * not an accepted image (an SVG can carry script, an HTML page labelled image/png is still HTML),
 * 413 when too large, 400 when empty. The magic bytes decide; the label is checked only so that
 * nothing else (a form, JSON) is ever read as an image.
 */
export async function readAvatarUpload(req: Request, maxBytes: number): Promise<CheckedAvatar> {
  if (!AVATAR_CONTENT_TYPES.includes(mediaTypeOf(req.headers['content-type']) as AvatarContentType)) throw unsupportedAvatarType();
  const bytes = await readBodyUpTo(req, maxBytes);
  if (bytes.length === 0) throw new AppError(400, 'EMPTY_AVATAR', 'The request carried no image: send the image bytes as the body.');
  const contentType = sniffImageType(bytes);
  if (!contentType) throw unsupportedAvatarType();
  return { bytes, contentType };
}
