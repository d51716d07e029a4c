import { escapeHtml } from './html.js';
import { WECHAT_IN_APP_USER_AGENT } from './in-app-browser.js';
import type { PushResult } from './phone.js';
import type { SimulatedTicket } from './tickets.js';
import type { SimulatedUser } from './users.js';

/** The developer pages' HTML: a "phone" that scans the live codes. Every value is escaped. */

function scanButtons(ticket: SimulatedTicket, recentUsers: readonly SimulatedUser[], basePath: string): string {
  // One form, several submit buttons: the one pressed sends its openid (none = a brand-new user).
  const asKnownUser = recentUsers
    .map((user) => {
      const label = `Scan as ${user.openid.slice(0, 10)}… (${user.subscribed ? 'following' : 'not following'})`;
      return `<button class="other" name="openid" value="${escapeHtml(user.openid)}">${escapeHtml(label)}</button>`;
    })
    .join('');
  return (
    `<form method="post" action="${escapeHtml(basePath)}/phone/scan">` +
    `<input type="hidden" name="ticket" value="${escapeHtml(ticket.ticket)}">` +
    `<button>Scan as new user</button>${asKnownUser}</form>`
  );
}

function ticketSection(ticket: SimulatedTicket, recentUsers: readonly SimulatedUser[], basePath: string): string {
  return (
    `<section><div>Scene <code>${escapeHtml(ticket.sceneStr)}</code> ` +
    `<span class="muted">expires in <span data-expires-at="${ticket.expiresAtMs}">…</span></span></div>` +
    `<div class="muted"><a href="${escapeHtml(ticket.url)}">${escapeHtml(ticket.url)}</a></div>` +
    `${scanButtons(ticket, recentUsers, basePath)}</section>`
  );
}

/** Counts the expiries down in the browser, from the simulator's clock (which tests may move). */
export function countdownScript(simulatorNowMs: number): string {
  return `(() => {
  const skewMs = ${simulatorNowMs} - Date.now();
  const tick = () => {
    for (const el of document.querySelectorAll('[data-expires-at]')) {
      const left = Math.floor((Number(el.dataset.expiresAt) - Date.now() - skewMs) / 1000);
      el.textContent = left <= 0 ? 'expired' : Math.floor(left / 60) + 'm ' + String(left % 60).padStart(2, '0') + 's';
    }
  };
  tick();
  setInterval(tick, 1000);
})();`;
}

/** Who the developer is in the simulated WeChat app, and the way to become someone else. */
function wechatIdentityHtml(signedIn: SimulatedUser | undefined, basePath: string): string {
  const chooseHref = `${basePath}/connect/oauth2/authorize/choose`;
  if (!signedIn) return `<p>In WeChat you are nobody yet: the authorization page will ask. <a href="${escapeHtml(chooseHref)}">Choose now</a></p>`;
  return (
    `<p data-testid="wechat-identity">In WeChat you are <b>${escapeHtml(signedIn.nickname)}</b> <code>${escapeHtml(signedIn.openid)}</code> ` +
    `<a href="${escapeHtml(chooseHref)}">Switch user</a></p>`
  );
}

/**
 * How to try sign-in inside WeChat from a desktop browser: the app decides by User-Agent, so
 * borrowing WeChat's is all it takes. Mounted in the dev server, the app is on this origin.
 */
function signInInsideWechatHtml(signedIn: SimulatedUser | undefined, basePath: string): string {
  const signInPage = basePath === '' ? "the app's <code>/sign-in</code> page" : '<a href="/sign-in">/sign-in</a>';
  return (
    `<section data-testid="sign-in-inside-wechat"><h2>Sign in inside WeChat</h2>` +
    `<p>Opened in WeChat's in-app browser, the sign-in page offers a one-tap WeChat button instead of a QR code ` +
    `(WeChat's web authorization, which this simulator plays too). To see it on a computer, browse with WeChat's User-Agent:</p>` +
    `<pre><code>${escapeHtml(WECHAT_IN_APP_USER_AGENT)}</code></pre><ol>` +
    `<li>Chrome: DevTools → Toggle device toolbar → ⋮ More tools → Network conditions → User agent: untick "Use browser default", choose Custom and paste it;</li>` +
    `<li>or start a browser with it: <code>chromium --user-agent="…"</code> (the string above);</li>` +
    `<li>then open ${signInPage}.</li></ol>${wechatIdentityHtml(signedIn, basePath)}</section>`
  );
}

export function phonePageHtml(
  tickets: readonly SimulatedTicket[],
  recentUsers: readonly SimulatedUser[],
  basePath: string,
  signedIn: SimulatedUser | undefined,
): string {
  const list = tickets.length
    ? tickets.map((ticket) => ticketSection(ticket, recentUsers, basePath)).join('')
    : '<section class="muted">No live QR codes. Open the sign-in page to create one, then reload.</section>';
  return (
    `<h1>WeChat simulator: phone</h1><p class="muted">Live QR codes, newest first. <a href="${escapeHtml(basePath)}/">Reload</a></p>${list}` +
    signInInsideWechatHtml(signedIn, basePath)
  );
}

export function confirmScanPageHtml(ticket: SimulatedTicket, recentUsers: readonly SimulatedUser[], basePath: string): string {
  return (
    `<h1>Confirm scan</h1><section><p>Sign in by scanning the code for scene <code>${escapeHtml(ticket.sceneStr)}</code>?</p>` +
    `<p class="muted">Expires in <span data-expires-at="${ticket.expiresAtMs}">…</span></p>` +
    `${scanButtons(ticket, recentUsers, basePath).replace('Scan as new user', 'Confirm scan as new user')}</section>`
  );
}

export function scanResultPageHtml(openid: string, result: PushResult, basePath: string): string {
  const reply = result.reply ? `<p>Reply from the account:</p><pre data-testid="simulator-reply">${replyContentHtml(result.reply.Content ?? JSON.stringify(result.reply))}</pre>` : '';
  const link = /<a href="(https?:\/\/[^"]+)">/.exec(result.reply?.Content ?? '')?.[1];
  return (
    `<h1>Scanned</h1><section><p>${escapeHtml(result.fields.Event ?? '')} as <code>${escapeHtml(openid)}</code>: ` +
    `the webhook answered HTTP ${result.status}.</p>${reply}${link ? answerForms(openid, link, basePath) : ''}</section>` +
    `<p><a href="${escapeHtml(basePath)}/">Back to the phone</a></p>`
  );
}

/**
 * The link answers only inside WeChat, for the WeChat user who scanned: these buttons open it in that
 * user's in-app browser (on the server) and tap an answer, as the person would on their phone.
 */
function answerForms(openid: string, link: string, basePath: string): string {
  const form = (decision: 'confirm' | 'deny', label: string) =>
    `<form method="post" action="${escapeHtml(basePath)}/phone/answer" style="display:inline">` +
    `<input type="hidden" name="openid" value="${escapeHtml(openid)}"><input type="hidden" name="link" value="${escapeHtml(link)}">` +
    `<input type="hidden" name="decision" value="${decision}"><button type="submit" data-testid="simulator-${decision}">${escapeHtml(label)}</button></form> `;
  return (
    `<p>Answer on ${escapeHtml(openid)}'s phone (the link only answers inside the WeChat that scanned):</p>` +
    form('confirm', '确认 / Confirm') +
    form('deny', '不是我 / Not me')
  );
}

export function answerResultPageHtml(openid: string, answer: { status: number; outcome: string | null }, basePath: string): string {
  return (
    `<h1>Answered</h1><section><p>The confirmation page in <code>${escapeHtml(openid)}</code>'s WeChat answered ` +
    `<strong data-testid="simulator-answer-outcome">${escapeHtml(answer.outcome ?? 'nothing')}</strong> (HTTP ${answer.status}).</p></section>` +
    `<p><a href="${escapeHtml(basePath)}/">Back to the phone</a></p>`
  );
}

/**
 * A text reply as the chat shows it: plain text, except `<a href="http…">`
 * links, which open (here in a new tab, in WeChat in its in-app browser).
 */
export function replyContentHtml(content: string): string {
  let html = '';
  let last = 0;
  for (const match of content.matchAll(/<a href="(https?:\/\/[^"]+)">([^<]*)<\/a>/g)) {
    html += escapeHtml(content.slice(last, match.index));
    html += `<a href="${escapeHtml(match[1]!)}" target="_blank" rel="noopener">${escapeHtml(match[2]!)}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(content.slice(last));
}

export function problemPageHtml(title: string, message: string, basePath: string): string {
  return `<h1>${escapeHtml(title)}</h1><section class="error">${escapeHtml(message)}</section><p><a href="${escapeHtml(basePath)}/">Back to the phone</a></p>`;
}
