/**
 * True when `email` is at the domain of the placeholder addresses given to WeChat sign-ups
 * (`{openid}@WECHAT_MP_EMAIL_DOMAIN`): case-insensitive, and with the trailing dot of a fully
 * qualified name, which means the same domain. A subdomain or a look-alike is another domain:
 * nothing here treats it as a placeholder, so it cannot pose as one.
 */
export function isPlaceholderEmail(email: string, placeholderDomain: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  return withoutTrailingDots(email.slice(at + 1)) === withoutTrailingDots(placeholderDomain);
}

function withoutTrailingDots(domain: string): string {
  return domain.toLowerCase().replace(/\.+$/, '');
}
