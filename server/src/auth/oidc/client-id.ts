/**
 * Client ids are ours (32 letters from the provider); a longer or odd value is a caller's invention:
 * never stored, keyed on or looked up.
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The client id of `Authorization: Basic base64(id:secret)`, form-url-decoded as RFC 6749 §2.3.1 asks;
 * null for any other header or a malformed one. The secret is never decoded into anything kept.
 */
export function basicAuthClientId(authorization: string | null | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  try {
    return decodeURIComponent(decoded.slice(0, colon));
  } catch {
    return null;
  }
}
