import { AppError } from '../errors.js';

/**
 * WeChat's in-app browser, as far as the simulated phone needs it: the links a
 * text reply carries, opening one, and submitting one of the page's forms, as
 * a person tapping a button would. Pages are read with a few patterns, which
 * is enough for the plain forms a confirmation page has.
 */

/** What WeChat's in-app browser sends (Android, WeChat 8). */
export const WECHAT_IN_APP_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 MMWEBSDK/20241103 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

const LINK_PATTERN = /<a href="([^"]+)">([^<]*)<\/a>/g;

export interface ReplyLink {
  href: string;
  text: string;
}

/** The `<a href>` links of a text reply, as WeChat shows them: only http(s) ones are tappable. */
export function linksInReply(content: string): ReplyLink[] {
  return [...content.matchAll(LINK_PATTERN)].map((match) => ({ href: match[1]!, text: match[2]! })).filter((link) => /^https?:\/\//.test(link.href));
}

export interface PageVisit {
  status: number;
  url: string;
  html: string;
}

export async function openInAppPage(url: string, options: { acceptLanguage?: string } = {}): Promise<PageVisit> {
  const response = await fetch(url, { headers: inAppHeaders(options.acceptLanguage), redirect: 'follow' });
  return { status: response.status, url: response.url || url, html: await response.text() };
}

/**
 * Submits the form of `page` that has a hidden input `name=value` (e.g.
 * decision=confirm), with all its hidden inputs, like a tap on its button.
 */
export async function submitForm(page: PageVisit, match: { name: string; value: string }, options: { acceptLanguage?: string } = {}): Promise<PageVisit> {
  const form = [...page.html.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)].find((candidate) =>
    hiddenInputs(candidate[2]!).some(([name, value]) => name === match.name && value === match.value),
  );
  if (!form) throw new AppError(404, 'WECHAT_SIMULATOR_NO_SUCH_FORM', `The page has no form with ${match.name}=${match.value}`);
  const action = new URL(decodeEntities(form[1]!), page.url).toString();
  const body = new URLSearchParams(hiddenInputs(form[2]!));
  const response = await fetch(action, {
    method: 'POST',
    headers: { ...inAppHeaders(options.acceptLanguage), 'content-type': 'application/x-www-form-urlencoded', origin: new URL(page.url).origin },
    body,
  });
  return { status: response.status, url: action, html: await response.text() };
}

function hiddenInputs(formHtml: string): Array<[string, string]> {
  return [...formHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((input) => [input[1]!, decodeEntities(input[2]!)]);
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function inAppHeaders(acceptLanguage = 'zh-CN,zh;q=0.9'): Record<string, string> {
  return { 'user-agent': WECHAT_IN_APP_USER_AGENT, 'accept-language': acceptLanguage, accept: 'text/html' };
}
