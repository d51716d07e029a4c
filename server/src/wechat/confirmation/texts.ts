/**
 * Every word the WeChat user reads: the chat reply after a scan and the
 * confirmation page, in both languages. Kept apart from the HTML and the
 * reply builder so a translator finds them in one place.
 */
export type ConfirmationLanguage = 'zh-CN' | 'en';

const zhCN = {
  loginIntro: (site: string) => `你正在电脑上登录「${site}」。`,
  bindIntro: (site: string) => `你正在把这个微信绑定到「${site}」的账号。`,
  colon: '：',
  browser: '浏览器',
  system: '系统',
  ip: 'IP 地址',
  time: '时间',
  unknown: '未知',
  timeZoneNote: '（北京时间）',
  confirmLogin: '确认登录',
  confirmBind: '确认绑定',
  replyFooter: '如果不是你本人操作，请打开链接选择“不是我”，或忽略本消息。',
  pageTitleLogin: (site: string) => `登录「${site}」`,
  pageTitleBind: (site: string) => `绑定「${site}」`,
  pageLead: '有一台设备正在请求使用你的微信：',
  pageWarning: '请确认这是你自己正在使用的设备。如果不是，请点“不是我”：别人可能在用你的微信登录他的页面。',
  expiresIn: (minutes: number) => `${minutes} 分钟内有效`,
  deny: '不是我',
  confirmedTitle: '已确认',
  confirmedText: '请回到电脑上继续。',
  deniedTitle: '已取消',
  deniedText: '这次请求已被拒绝，对方的页面不会登录。',
  decidedTitle: '此链接已使用',
  decidedText: '这次请求已经确认或拒绝过了。',
  expiredTitle: '二维码已失效',
  expiredText: '请在电脑上刷新二维码后重新扫码。',
  invalidTitle: '链接无效',
  invalidText: '这个确认链接无效，或不属于你。请重新扫码。',
  notYoursTitle: '这不是你的链接',
  notYoursText: '只有扫码的微信用户本人才能确认这次请求。如果是别人转发给你的，请不要操作。',
  openInWechatTitle: '请在微信中打开',
  openInWechatText: '为了确认是你本人，这个链接只能在扫码的那个微信里打开：回到微信聊天，点开这条消息里的链接。',
  verifyFailedTitle: '暂时无法确认身份',
  verifyFailedText: '微信没有完成身份验证。请回到微信聊天，重新点开消息里的链接。',
  switchLanguage: 'English',
};

export type ConfirmationTexts = typeof zhCN;

const en: ConfirmationTexts = {
  loginIntro: (site) => `You are signing in to ${site} on a computer.`,
  bindIntro: (site) => `You are binding this WeChat to your account on ${site}.`,
  colon: ': ',
  browser: 'Browser',
  system: 'System',
  ip: 'IP address',
  time: 'Time',
  unknown: 'unknown',
  timeZoneNote: ' (Beijing time)',
  confirmLogin: 'Confirm sign-in',
  confirmBind: 'Confirm binding',
  replyFooter: "If this wasn't you, open the link and choose \"This wasn't me\", or ignore this message.",
  pageTitleLogin: (site) => `Sign in to ${site}`,
  pageTitleBind: (site) => `Bind to ${site}`,
  pageLead: 'A device is asking to use your WeChat:',
  pageWarning: "Make sure this is a device you are using right now. If not, choose \"This wasn't me\": someone may be trying to sign in to their page with your WeChat.",
  expiresIn: (minutes) => `Valid for ${minutes} more minute${minutes === 1 ? '' : 's'}`,
  deny: "This wasn't me",
  confirmedTitle: 'Confirmed',
  confirmedText: 'Go back to your computer to continue.',
  deniedTitle: 'Cancelled',
  deniedText: 'The request was refused; that page will not be signed in.',
  decidedTitle: 'This link was already used',
  decidedText: 'This request was already confirmed or refused.',
  expiredTitle: 'This QR code has expired',
  expiredText: 'Refresh the QR code on the computer and scan again.',
  invalidTitle: 'Invalid link',
  invalidText: 'This confirmation link is invalid or not yours. Scan the QR code again.',
  notYoursTitle: 'This link is not yours',
  notYoursText: 'Only the WeChat user who scanned the QR code can answer this request. If someone forwarded it to you, leave it.',
  openInWechatTitle: 'Open this in WeChat',
  openInWechatText: 'To make sure it is you, this link only works in the WeChat that scanned: go back to the chat and tap the link in the message.',
  verifyFailedTitle: 'Could not check who you are',
  verifyFailedText: 'WeChat did not finish checking who you are. Go back to the chat and tap the link in the message again.',
  switchLanguage: '中文',
};

export const CONFIRMATION_TEXTS: Readonly<Record<ConfirmationLanguage, ConfirmationTexts>> = { 'zh-CN': zhCN, en };

/** Times are shown in China's time zone, with the zone named. */
export const CONFIRMATION_TIME_ZONE = 'Asia/Shanghai';

/** Building a DateTimeFormat costs far more than using one: one per language, made once. */
const REQUEST_TIME_FORMATS: Readonly<Record<ConfirmationLanguage, Intl.DateTimeFormat>> = {
  'zh-CN': requestTimeFormat('zh-CN'),
  en: requestTimeFormat('en-GB'),
};

function requestTimeFormat(locale: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    timeZone: CONFIRMATION_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

export function formatRequestTime(date: Date, language: ConfirmationLanguage): string {
  return `${REQUEST_TIME_FORMATS[language].format(date)}${CONFIRMATION_TEXTS[language].timeZoneNote}`;
}

/** The page's language: an explicit `?lang=`, else the phone's Accept-Language (WeChat sends the app's language), else Chinese. */
export function pickPageLanguage(explicit: unknown, acceptLanguage: string | undefined): ConfirmationLanguage {
  if (explicit === 'en' || explicit === 'zh-CN') return explicit;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
