/**
 * "Chrome 131 · Windows": the browser and system a User-Agent names, for the
 * person deciding on the phone whether the sign-in is theirs. A rough reading
 * is enough (and safer than a big parser on hostile input): unknown parts
 * come back null and the page says "unknown".
 */
export interface DescribedUserAgent {
  browser: string | null;
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
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* .*Safari\//],
];

const SYSTEMS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['Windows', /Windows NT/],
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
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(text);
    if (match) {
      browser = `${name} ${match[1]}`;
      break;
    }
  }
  const os = SYSTEMS.find(([, pattern]) => pattern.test(text))?.[0] ?? null;
  return { browser, os };
}
