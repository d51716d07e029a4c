import { toString as renderQrcode } from 'qrcode';

/**
 * Draws the QR code in the page, as an SVG data URL: no request to WeChat's image server, crisp at any
 * size, and no canvas needed. Rejects when the content cannot be encoded; the caller then shows `qrcodeUrl`.
 */
export async function qrcodeSvgDataUrl(content: string): Promise<string> {
  const svg = await renderQrcode(content, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
