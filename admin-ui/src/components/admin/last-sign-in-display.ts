import type { LastSignInMethod } from '@wechat-login/shared';

/** How the table and the detail page show a last sign-in: the method's words and colour, the time near and exact. */

type TagType = 'success' | 'primary' | 'warning';

/** The message key (under `users.lastSignInMethods`) and tag colour of each way in; WeChat's two ways share a colour. */
export const LAST_SIGN_IN_METHOD_TAGS: Record<LastSignInMethod, { key: string; type: TagType }> = {
  wechat: { key: 'users.lastSignInMethods.wechatQr', type: 'success' },
  'wechat-oauth': { key: 'users.lastSignInMethods.wechatInApp', type: 'success' },
  username: { key: 'users.lastSignInMethods.username', type: 'primary' },
  email: { key: 'users.lastSignInMethods.email', type: 'warning' },
};

const SECOND_MS = 1000;
const RELATIVE_UNITS: ReadonlyArray<{ unit: Intl.RelativeTimeFormatUnit; ms: number; below: number }> = [
  { unit: 'second', ms: SECOND_MS, below: 60 },
  { unit: 'minute', ms: 60 * SECOND_MS, below: 60 },
  { unit: 'hour', ms: 60 * 60 * SECOND_MS, below: 24 },
  { unit: 'day', ms: 24 * 60 * 60 * SECOND_MS, below: 30 },
  { unit: 'month', ms: 30 * 24 * 60 * 60 * SECOND_MS, below: 12 },
  { unit: 'year', ms: 365 * 24 * 60 * 60 * SECOND_MS, below: Number.POSITIVE_INFINITY },
];

/**
 * "3 days ago" / "3 天前", in the largest unit that is at least one whole step ("45 seconds ago", not
 * "0 minutes ago"). A time slightly ahead of this browser's clock (the server's clock differs) says "now".
 */
export function relativeTimeOf(at: Date, now: Date, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const agoMs = Math.max(0, now.getTime() - at.getTime());
  const step = RELATIVE_UNITS.find(({ ms, below }) => agoMs < ms * below) ?? RELATIVE_UNITS[RELATIVE_UNITS.length - 1]!;
  return format.format(-Math.floor(agoMs / step.ms), step.unit);
}

/** The time to the second, for the tooltip and the detail page: the table's relative time is only a glance. */
export function exactTimeOf(at: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).format(at);
}
