/**
 * "Chrome 131 · Windows": the browser and system a User-Agent names, read the
 * same way wherever it is shown (the chat reply and the phone's confirmation
 * page on the server; the sessions and Activity tables in the dashboard). A
 * rough reading is enough, and safer than a big parser on hostile input:
 * only fixed names and digits come out, never text from the header.
 */
export interface DescribedUserAgent {
  browser: string | null;
  /** The browser's major version, when the header gives one. */
  version: string | null;
  os: string | null;
}

const MAX_USER_AGENT_LENGTH = 512;

/** Order matters: Edge and Opera also say Chrome, Chrome also says Safari, WeChat also says Mobile Safari. */
const BROWSERS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['WeChat', /MicroMessenger\/(\d+)/],
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /(?:OPR|Opera)\/(\d+)/],
  ['QQ Browser', /QQBrowser\/(\d+)/],
  ['UC Browser', /UCBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:HeadlessChrome|Chrome|Chromium|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* .*Safari\//],
];

const SYSTEMS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['Windows', /Windows/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Android', /Android/],
  ['HarmonyOS', /HarmonyOS|OpenHarmony/],
  ['ChromeOS', /CrOS/],
  ['macOS', /Mac OS X|Macintosh/],
  ['Linux', /Linux/],
];

export function describeUserAgent(userAgent: string | null | undefined): DescribedUserAgent {
  const text = (userAgent ?? '').slice(0, MAX_USER_AGENT_LENGTH);
  let browser: string | null = null;
  let version: string | null = null;
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(text);
    if (match) {
      browser = name;
      version = match[1] ?? null;
      break;
    }
  }
  const os = SYSTEMS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
  return { browser, version, os };
}

/** "Chrome · Linux" (or "Chrome 131 · Linux" with the version); null when nothing is recognised. Product names are not translated. */
export function userAgentLabel(userAgent: string | null | undefined, options: { withVersion?: boolean } = {}): string | null {
  const { browser, version, os } = describeUserAgent(userAgent);
  const browserPart = browser && options.withVersion && version ? `${browser} ${version}` : browser;
  const parts = [browserPart, os].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/**
 * WeChat's in-app browser (微信内置浏览器), where web authorization works and a QR code cannot be
 * scanned by the phone showing it. WeCom (企业微信) also says MicroMessenger but has no Official
 * Account web authorization, so it is not counted.
 */
export function isWechatBrowser(userAgent: string | null | undefined): boolean {
  const text = (userAgent ?? '').slice(0, MAX_USER_AGENT_LENGTH);
  return /MicroMessenger\//i.test(text) && !/wxwork\//i.test(text);
}

/** A phone or tablet browser: the page shows the QR code as an image to save instead of one to scan. */
export function isMobileBrowser(userAgent: string | null | undefined): boolean {
  return /Android|iPhone|iPad|iPod|HarmonyOS|Mobile/i.test((userAgent ?? '').slice(0, MAX_USER_AGENT_LENGTH));
}
