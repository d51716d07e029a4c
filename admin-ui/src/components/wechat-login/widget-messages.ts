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
  continueWithWechat: '微信一键登录',
  continueHint: '使用当前微信账号登录，无需扫码',
  leavingForWechat: '正在打开微信授权…',
  saveStepsTitle: '在这台手机上登录：',
  saveStepsTitleToBind: '在这台手机上绑定：',
  steps: {
    saveImage: '长按上方二维码，保存图片到相册',
    openWechat: '打开微信',
    scan: '点右上角「+」，选择「扫一扫」',
    album: '点「相册」，选择刚保存的二维码图片',
    confirmSignIn: '在微信中确认登录',
    confirmBind: '在微信中确认绑定',
  },
  orScanWithAnotherPhone: '也可以用另一部手机的微信扫描上方二维码。',
  copyLink: '复制链接，在微信中打开',
  linkCopied: '链接已复制，请粘贴到微信中打开',
  copyByHand: '无法自动复制，请选中下方链接后复制：',
  linkLabel: '本页链接',
  unavailableTitle: '微信登录暂不可用',
  errorTitle: '微信登录失败',
  errors: {
    notConfigured: '本站尚未启用微信登录，请使用账号密码登录。',
    unreachable: '暂时无法连接微信服务器，请稍后重试或使用账号密码登录。',
    misconfigured: '本站的微信登录配置有误，请联系管理员。',
    oauthNotPermitted: '本站的公众号没有网页授权权限，无法一键登录，请联系本站管理员。',
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
  continueWithWechat: 'Continue with WeChat',
  continueHint: 'Signs in with the WeChat account you are using; no QR code needed',
  leavingForWechat: 'Opening WeChat authorization…',
  saveStepsTitle: 'To sign in on this phone:',
  saveStepsTitleToBind: 'To bind on this phone:',
  steps: {
    saveImage: 'Press and hold the QR code above and save the image',
    openWechat: 'Open WeChat',
    scan: 'Tap "+" at the top right, then "Scan"',
    album: 'Tap "Album" (相册) and choose the saved QR code image',
    confirmSignIn: 'Confirm the sign-in in WeChat',
    confirmBind: 'Confirm the binding in WeChat',
  },
  orScanWithAnotherPhone: 'Or scan the QR code above with WeChat on another phone.',
  copyLink: 'Copy link to open in WeChat',
  linkCopied: 'Link copied. Paste it in WeChat and open it there.',
  copyByHand: 'Could not copy it automatically. Select the link below and copy it:',
  linkLabel: 'Link to this page',
  unavailableTitle: 'WeChat sign-in is unavailable',
  errorTitle: 'WeChat sign-in failed',
  errors: {
    notConfigured: 'WeChat sign-in is not enabled on this site. Sign in with a password instead.',
    unreachable: 'WeChat cannot be reached right now. Try again in a moment, or sign in with a password.',
    misconfigured: "This site's WeChat sign-in is misconfigured. Please contact the administrator.",
    oauthNotPermitted: "This site's Official Account cannot use WeChat web authorization, so one-tap sign-in is unavailable. Ask the site's administrator.",
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
  // The page's callback-url attributes point off the site.
  INVALID_CALLBACK_URL: 'misconfigured',
  INVALID_NEW_USER_CALLBACK_URL: 'misconfigured',
  INVALID_ERROR_CALLBACK_URL: 'misconfigured',
  WECHAT_OAUTH_NOT_PERMITTED: 'oauthNotPermitted',
  WECHAT_QUOTA_EXCEEDED: 'quota',
  RATE_LIMITED: 'rateLimited',
  BANNED_USER: 'banned',
  NETWORK_ERROR: 'network',
};

/** Codes that mean "WeChat is not available here", as opposed to "this attempt failed". */
const UNAVAILABLE_KEYS = new Set<WidgetErrorKey>(['notConfigured', 'unreachable', 'misconfigured', 'oauthNotPermitted', 'quota']);

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
