import type { Response } from 'express';
import { escapeHtml } from '../http/escape-html.js';
import type { SceneDocument } from '../wechat/scenes/scene.js';
import { describeUserAgent } from '@wechat-login/shared';
import { CONFIRMATION_TEXTS, formatRequestTime, type ConfirmationLanguage, type ConfirmationTexts } from '../wechat/confirmation/texts.js';
import type { ConfirmationOutcome } from '../wechat/confirmation/scan-confirmation.js';

/**
 * The small mobile page the confirmation link opens in WeChat's in-app
 * browser: plain HTML and inline CSS, no script, so it loads at once on a
 * phone and works with any WeChat version.
 */


const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,system-ui,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f2f3f5}
main{max-width:30rem;margin:0 auto;padding:1.5rem 1rem 2rem}h1{font-size:1.25rem;margin:.5rem 0 1rem;text-align:center}
.card{background:#fff;border-radius:12px;padding:1rem 1.1rem;margin-bottom:1rem}.lead{margin:0 0 .6rem;color:#646a73}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.35rem .9rem}dt{color:#8f959e}dd{margin:0;word-break:break-all}
.warning{font-size:.9rem;color:#8f959e;margin:.2rem 0 1.2rem}.expiry{font-size:.85rem;color:#8f959e;text-align:center;margin:.6rem 0 0}
button{display:block;width:100%;padding:.8rem;margin:.6rem 0;border:0;border-radius:8px;font-size:1rem;cursor:pointer}
.confirm{background:#07c160;color:#fff}.deny{background:#fff;color:#e54545;border:1px solid #e5e6eb}
.result{text-align:center;padding:2rem 1rem}.icon{font-size:3rem;line-height:1}.ok{color:#07c160}.no{color:#e54545}.muted{color:#8f959e}
.lang{display:block;text-align:center;font-size:.85rem;color:#576b95;margin-top:1.5rem}`;

interface PageContext {
  language: ConfirmationLanguage;
  siteName: string;
  /** This page's own path (without query), for the language switch and the form. */
  path: string;
}

export function sendConfirmationPage(res: Response, status: number, context: PageContext, bodyHtml: string, title: string): void {
  // Its own CSP: no script at all, forms only to ourselves, never framed.
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="${context.language}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover"><meta name="robots" content="noindex">` +
        `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${bodyHtml}</main></body></html>`,
    );
}

/** The question: who asks, and the two answers. The token travels in the form, never in a cookie. */
export function decisionPageHtml(context: PageContext, scene: SceneDocument, token: string, nowMs: number): { title: string; html: string } {
  const texts = CONFIRMATION_TEXTS[context.language];
  const title = (scene.purpose === 'bind' ? texts.pageTitleBind : texts.pageTitleLogin)(context.siteName);
  const agent = describeUserAgent(scene.requester?.userAgent);
  const minutesLeft = Math.max(1, Math.ceil((scene.expiresAt.getTime() - nowMs) / 60_000));
  const action = escapeHtml(`${context.path}?lang=${context.language}`);
  const hiddenToken = `<input type="hidden" name="t" value="${escapeHtml(token)}">`;
  const html =
    `<h1>${escapeHtml(title)}</h1>` +
    `<section class="card"><p class="lead">${escapeHtml(texts.pageLead)}</p><dl data-testid="confirm-details">` +
    detail(texts.browser, agent.browser ? [agent.browser, agent.version].filter(Boolean).join(' ') : texts.unknown) +
    detail(texts.system, agent.os ?? texts.unknown) +
    detail(texts.ip, scene.requester?.ip ?? texts.unknown) +
    detail(texts.time, formatRequestTime(scene.createdAt, context.language)) +
    `</dl></section>` +
    `<p class="warning">${escapeHtml(texts.pageWarning)}</p>` +
    `<form method="post" action="${action}">${hiddenToken}<input type="hidden" name="decision" value="confirm">` +
    `<button type="submit" class="confirm">${escapeHtml(scene.purpose === 'bind' ? texts.confirmBind : texts.confirmLogin)}</button></form>` +
    `<form method="post" action="${action}">${hiddenToken}<input type="hidden" name="decision" value="deny">` +
    `<button type="submit" class="deny">${escapeHtml(texts.deny)}</button></form>` +
    `<p class="expiry">${escapeHtml(texts.expiresIn(minutesLeft))}</p>` +
    languageSwitch(context, texts, token);
  return { title, html };
}

const OUTCOMES: Record<ConfirmationOutcome, { icon: string; tone: string; title: keyof ConfirmationTexts; text: keyof ConfirmationTexts }> = {
  confirmed: { icon: '✓', tone: 'ok', title: 'confirmedTitle', text: 'confirmedText' },
  denied: { icon: '✕', tone: 'no', title: 'deniedTitle', text: 'deniedText' },
  decided: { icon: 'ℹ', tone: 'muted', title: 'decidedTitle', text: 'decidedText' },
  expired: { icon: '⌛', tone: 'muted', title: 'expiredTitle', text: 'expiredText' },
  invalid: { icon: '!', tone: 'no', title: 'invalidTitle', text: 'invalidText' },
  'not-yours': { icon: '✕', tone: 'no', title: 'notYoursTitle', text: 'notYoursText' },
  'open-in-wechat': { icon: 'ℹ', tone: 'muted', title: 'openInWechatTitle', text: 'openInWechatText' },
  'verify-failed': { icon: '!', tone: 'muted', title: 'verifyFailedTitle', text: 'verifyFailedText' },
};

/** What happened, in one line, after an answer or for a link that can no longer be used. */
export function outcomePageHtml(context: PageContext, outcome: ConfirmationOutcome): { title: string; html: string } {
  const texts = CONFIRMATION_TEXTS[context.language];
  const { icon, tone, title, text } = OUTCOMES[outcome];
  const titleText = texts[title] as string;
  const html =
    `<section class="card result" data-testid="confirm-outcome" data-outcome="${outcome}">` +
    `<div class="icon ${tone}" aria-hidden="true">${icon}</div><h1>${escapeHtml(titleText)}</h1>` +
    `<p class="muted">${escapeHtml(texts[text] as string)}</p></section>`;
  return { title: titleText, html };
}

function detail(label: string, value: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`;
}

function languageSwitch(context: PageContext, texts: ConfirmationTexts, token: string): string {
  const other = context.language === 'zh-CN' ? 'en' : 'zh-CN';
  const href = `${context.path}?t=${encodeURIComponent(token)}&lang=${other}`;
  return `<a class="lang" href="${escapeHtml(href)}">${escapeHtml(texts.switchLanguage)}</a>`;
}
