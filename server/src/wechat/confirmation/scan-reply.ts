import type { SceneDocument } from '../scenes/scene.js';
import { userAgentLabel } from '@wechat-login/shared';
import { CONFIRMATION_TEXTS, formatRequestTime, type ConfirmationLanguage } from './texts.js';

export interface ScanReplyOptions {
  siteName: string;
  language: ConfirmationLanguage;
  /** The operator's own first line (WECHAT_MP_LOGIN_REPLY / WECHAT_MP_BIND_REPLY), if set. */
  intro: { login: string | undefined; bind: string | undefined };
}

/**
 * The passive text reply to a scan. With confirmation on it says which
 * browser asks (browser and system, IP, time) and carries the one-time link;
 * without, just the first line. WeChat shows `<a href>` in text replies as a
 * link that opens in its in-app browser.
 */
export function buildScanReply(options: ScanReplyOptions, scene: SceneDocument, confirmationUrl: string | null): string {
  const texts = CONFIRMATION_TEXTS[options.language];
  const isBind = scene.purpose === 'bind';
  const intro = (isBind ? options.intro.bind : options.intro.login) ?? (isBind ? texts.bindIntro : texts.loginIntro)(options.siteName);
  if (!confirmationUrl) return intro;
  const browser = userAgentLabel(scene.requester?.userAgent, { withVersion: true }) ?? texts.unknown;
  return [
    intro,
    `${texts.browser}${texts.colon}${browser}`,
    `${texts.ip}${texts.colon}${scene.requester?.ip ?? texts.unknown}`,
    `${texts.time}${texts.colon}${formatRequestTime(scene.createdAt, options.language)}`,
    `<a href="${confirmationUrl}">${isBind ? texts.confirmBind : texts.confirmLogin}</a>`,
    texts.replyFooter,
  ].join('\n');
}
