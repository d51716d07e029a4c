import { toDataURL as renderQrcodePng, toString as renderQrcode } from 'qrcode';

/**
 * Draws the QR code in the page, as an SVG data URL: no request to WeChat's image server, crisp at any
 * size, and no canvas needed. Rejects when the content cannot be encoded; the caller then shows `qrcodeUrl`.
 */
export async function qrcodeSvgDataUrl(content: string): Promise<string> {
  const svg = await renderQrcode(content, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Pixels of the saved picture: large enough for WeChat's album scan after a phone's photo compression. */
const SAVED_QR_WIDTH_PX = 480;

/**
 * The QR code as a PNG data URL, for phones where it is saved (long press) and scanned from the album:
 * phones' photo libraries take PNG, not SVG, and the wide quiet zone (4 modules) helps WeChat find the code
 * in a picture. Rejects when it cannot be drawn (no canvas); the caller then shows `qrcodeUrl`.
 */
export function qrcodePngDataUrl(content: string): Promise<string> {
  return renderQrcodePng(content, { type: 'image/png', margin: 4, width: SAVED_QR_WIDTH_PX, errorCorrectionLevel: 'M' });
}
