import { escapeHtml } from './html.js';
import { AUTHORIZE_FIELDS, type AuthorizeFields, type AuthorizeRefusal, type AuthorizeRequest } from './oauth-authorize-request.js';
import type { SimulatedUser } from './users.js';

/**
 * The pages of the simulated open.weixin.qq.com: WeChat's own words (Chinese, as the app shows
 * them), with a short English note for the developer where WeChat would leave them guessing.
 * Forms carry only hidden inputs in one fixed markup, which the scripted phone reads.
 */

function hiddenInput(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

/** The authorization request's fields as hidden inputs, so a form can bring the request back. */
function authorizeInputs(fields: AuthorizeFields): string {
  return AUTHORIZE_FIELDS.map((name) => (fields[name] === undefined ? '' : hiddenInput(name, fields[name]))).join('');
}

function postForm(action: string, inputs: string, button: string): string {
  return `<form method="post" action="${escapeHtml(action)}">${inputs}${button}</form>`;
}

function userLabel(user: SimulatedUser): string {
  return `${user.nickname} · ${user.openid.slice(0, 10)}…`;
}

export function authorizeErrorPageHtml(refusal: AuthorizeRefusal): string {
  return (
    `<h1>Oops! Something went wrong:(</h1><section data-testid="oauth-error" data-errcode="${refusal.errcode}">` +
    `<p class="error">${refusal.errcode} ${escapeHtml(refusal.message)}</p>` +
    `<p class="muted">${escapeHtml(refusal.hint)}</p></section>`
  );
}

export function openInWechatPageHtml(phonePagePath: string): string {
  return (
    `<h1>请在微信客户端打开链接</h1><section data-testid="oauth-open-in-wechat">` +
    `<p class="muted">WeChat's authorization page answers only its own in-app browser. ` +
    `<a href="${escapeHtml(phonePagePath)}">The simulator's phone page</a> shows how to browse with WeChat's User-Agent.</p></section>`
  );
}

export interface ChooseUserPage {
  recentUsers: readonly SimulatedUser[];
  currentOpenid: string | undefined;
  /** The authorization to come back to; empty when switching from the phone page. */
  fields: AuthorizeFields;
  chooseAction: string;
}

/** "Who are you in WeChat?": the simulator's stand-in for the person logged in to the app. */
export function chooseUserPageHtml({ recentUsers, currentOpenid, fields, chooseAction }: ChooseUserPage): string {
  const carried = authorizeInputs(fields);
  const known = recentUsers
    .map((user) => {
      const current = user.openid === currentOpenid ? ' (current)' : '';
      return postForm(chooseAction, `${carried}${hiddenInput('openid', user.openid)}`, `<button class="other">${escapeHtml(userLabel(user) + current)}</button>`);
    })
    .join('');
  return (
    `<h1>你是谁？ Who are you in WeChat?</h1><section data-testid="oauth-choose-user">` +
    `<p class="muted">Real WeChat knows who is logged in; the simulator asks once and remembers it in a cookie.</p>` +
    `${known}${postForm(chooseAction, `${carried}${hiddenInput('new_user', '1')}`, '<button>A new WeChat user</button>')}</section>`
  );
}

export interface ConsentPage {
  user: SimulatedUser;
  request: AuthorizeRequest;
  fields: AuthorizeFields;
  consentAction: string;
  switchUserHref: string;
  avatarUrl: string;
}

/** snsapi_userinfo's question, as WeChat asks it: the site, what it wants, allow or refuse. */
export function consentPageHtml({ user, request, fields, consentAction, switchUserHref, avatarUrl }: ConsentPage): string {
  const carried = authorizeInputs(fields);
  return (
    `<h1>${escapeHtml(request.redirectUri.host)}</h1><section data-testid="oauth-consent">` +
    `<p>申请获得以下权限：</p><ul class="plain"><li>获得你的公开信息（昵称、头像等）</li></ul>` +
    `<p><img class="avatar" alt="" src="${escapeHtml(avatarUrl)}">${escapeHtml(userLabel(user))} ` +
    `<a href="${escapeHtml(switchUserHref)}">切换 (switch user)</a></p>` +
    `<div class="stack">` +
    postForm(consentAction, `${carried}${hiddenInput('decision', 'allow')}`, '<button>允许</button>') +
    postForm(consentAction, `${carried}${hiddenInput('decision', 'deny')}`, '<button class="deny">拒绝</button>') +
    `</div></section>`
  );
}
