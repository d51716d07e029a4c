import type { AvatarContentType } from '@wechat-login/shared';

/** Leading bytes of each accepted format; `null` matches any byte (RIFF's length field). */
const SIGNATURES: { type: AvatarContentType; bytes: (number | null)[] }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  // "RIFF" <4-byte length> "WEBP"
  { type: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, null, 0x61] },
];

/**
 * The image type the bytes themselves say, or null. The browser's Content-Type is only a label:
 * an HTML page or an SVG (which can carry script) sent as `image/png` is caught here.
 */
export function sniffImageType(bytes: Uint8Array): AvatarContentType | null {
  for (const { type, bytes: signature } of SIGNATURES) {
    if (bytes.length >= signature.length && signature.every((byte, i) => byte === null || bytes[i] === byte)) {
      if (type === 'image/gif' && bytes[4] !== 0x37 && bytes[4] !== 0x39) continue; // GIF87a or GIF89a
      return type;
    }
  }
  return null;
}
