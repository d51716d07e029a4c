import { AVATARS_PATH } from './profile-service.js';

/** Where WeChat serves profile pictures (headimgurl) and Official Account images, over https. */
export const WECHAT_IMAGE_HOSTS: ReadonlySet<string> = new Set(['thirdwx.qlogo.cn', 'wx.qlogo.cn', 'mmbiz.qpic.cn']);

const MAX_IMAGE_URL_LENGTH = 2048;
const AVATAR_ID = /^[0-9a-f]{24}$/;

/**
 * What a user's `image` may hold: nothing, an avatar uploaded here (exactly the URL the profile
 * service builds), or an https picture on WeChat's image hosts. Every page and app that shows the
 * user renders it, so a `javascript:`/`data:` URL or a tracking pixel on any host must not get in.
 * WeChat URLs must already be in canonical form (as `new URL` writes them): what is checked is
 * then exactly what is stored, with no stripped tab or newline, userinfo or port to hide behind.
 */
export function isAcceptedUserImage(value: unknown, publicBaseUrl: string): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (typeof value !== 'string' || value.length > MAX_IMAGE_URL_LENGTH) return false;
  const ownPrefix = `${publicBaseUrl}${AVATARS_PATH}/`;
  if (value.startsWith(ownPrefix)) return AVATAR_ID.test(value.slice(ownPrefix.length));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.href === value && url.protocol === 'https:' && WECHAT_IMAGE_HOSTS.has(url.hostname) && url.port === '' && url.username === '' && url.password === '';
}
