/**
 * The widget's own words, in both languages. It does not use vue-i18n: the `<wechat-login>` custom element
 * must stay small and work on pages without our app, so it takes a `lang` attribute instead.
 */
export type WidgetLang = 'zh-CN' | 'en';

const zhCN = {
  qrAlt: '微信登录二维码',
  loading: '正在获取二维码…',
  scanToSignIn: '请使用微信扫一扫登录',
  scanToBind: '请使用微信扫一扫绑定',
  expiresIn: '{time} 后失效',
  scanned: '已扫码',
  confirmOnPhone: '请在手机微信中点开消息里的链接，确认登录',
  confirmOnPhoneToBind: '请在手机微信中点开消息里的链接，确认绑定',
  confirmed: '已确认',
  signingIn: '正在登录…',
  denied: '已在手机上取消',
  deniedHint: '如需登录，请刷新二维码后重新扫码。',
  signedIn: '登录成功',
  expired: '二维码已失效',
  refresh: '刷新二维码',
  retry: '重试',
  simulator: '开发环境：打开微信模拟器',
  unavailableTitle: '微信登录暂不可用',
  errorTitle: '微信登录失败',
  errors: {
    notConfigured: '本站尚未启用微信登录，请使用账号密码登录。',
    unreachable: '暂时无法连接微信服务器，请稍后重试或使用账号密码登录。',
    misconfigured: '本站的微信登录配置有误，请联系管理员。',
    quota: '今日微信二维码额度已用完，请稍后再试或使用账号密码登录。',
    rateLimited: '操作过于频繁，请稍后再试。',
    banned: '该账号已被封禁，请联系管理员。',
    network: '无法连接服务器，请检查网络后重试。',
    unknown: '微信登录失败，请重试。',
  },
};

export type WidgetMessages = typeof zhCN;
export type WidgetErrorKey = keyof WidgetMessages['errors'];

const en: WidgetMessages = {
  qrAlt: 'WeChat sign-in QR code',
  loading: 'Getting a QR code…',
  scanToSignIn: 'Scan with WeChat to sign in',
  scanToBind: 'Scan with WeChat to bind it',
  expiresIn: 'Expires in {time}',
  scanned: 'Scanned',
  confirmOnPhone: 'Open the link in the WeChat message on your phone to confirm the sign-in',
  confirmOnPhoneToBind: 'Open the link in the WeChat message on your phone to confirm the binding',
  confirmed: 'Confirmed',
  signingIn: 'Signing in…',
  denied: 'Cancelled on the phone',
  deniedHint: 'To sign in, refresh the QR code and scan again.',
  signedIn: 'Signed in',
  expired: 'This QR code has expired',
  refresh: 'Refresh QR code',
  retry: 'Retry',
  simulator: 'Development: open the WeChat simulator',
  unavailableTitle: 'WeChat sign-in is unavailable',
  errorTitle: 'WeChat sign-in failed',
  errors: {
    notConfigured: 'WeChat sign-in is not enabled on this site. Sign in with a password instead.',
    unreachable: 'WeChat cannot be reached right now. Try again in a moment, or sign in with a password.',
    misconfigured: "This site's WeChat sign-in is misconfigured. Please contact the administrator.",
    quota: "Today's WeChat QR code quota is used up. Try again later, or sign in with a password.",
    rateLimited: 'Too many attempts. Wait a moment and try again.',
    banned: 'This account has been banned. Contact an administrator.',
    network: 'Cannot reach the server. Check your connection and try again.',
    unknown: 'WeChat sign-in failed. Please try again.',
  },
};

const MESSAGES: Record<WidgetLang, WidgetMessages> = { 'zh-CN': zhCN, en };

/** Server codes grouped by what the visitor can do about them. */
const ERROR_KEYS_BY_CODE: Record<string, WidgetErrorKey> = {
  WECHAT_NOT_CONFIGURED: 'notConfigured',
  NOT_FOUND: 'notConfigured', // the QR routes are not mounted when WeChat is off
  WECHAT_UNREACHABLE: 'unreachable',
  WECHAT_TIMEOUT: 'unreachable',
  WECHAT_UNAVAILABLE: 'unreachable',
  WECHAT_BUSY: 'unreachable',
  WECHAT_API_ERROR: 'unreachable',
  WECHAT_CONFIG_INVALID: 'misconfigured',
  WECHAT_IP_NOT_WHITELISTED: 'misconfigured',
  WECHAT_TOKEN_INVALID: 'misconfigured',
  WECHAT_API_UNAUTHORIZED: 'misconfigured',
  WECHAT_QUOTA_EXCEEDED: 'quota',
  RATE_LIMITED: 'rateLimited',
  BANNED_USER: 'banned',
  NETWORK_ERROR: 'network',
};

/** Codes that mean "WeChat is not available here", as opposed to "this attempt failed". */
const UNAVAILABLE_KEYS = new Set<WidgetErrorKey>(['notConfigured', 'unreachable', 'misconfigured', 'quota']);

export function widgetErrorKeyFor(code: string): WidgetErrorKey {
  return Object.hasOwn(ERROR_KEYS_BY_CODE, code) ? (ERROR_KEYS_BY_CODE[code] ?? 'unknown') : 'unknown';
}

export function isUnavailableError(key: WidgetErrorKey): boolean {
  return UNAVAILABLE_KEYS.has(key);
}

/** `en`, `en-US` → English; anything else (zh, zh-CN, unset) → the default, Simplified Chinese. */
export function resolveWidgetLang(lang: string | null | undefined): WidgetLang {
  const wanted = lang || (typeof document === 'undefined' ? '' : document.documentElement.lang);
  return wanted.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function widgetMessagesFor(lang: string | null | undefined): WidgetMessages {
  return MESSAGES[resolveWidgetLang(lang)];
}

/** "4:05" from 245 seconds. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
