import type { Request, Response } from 'express';
import { isWechatBrowser } from '@wechat-login/shared';
import { ensureBindingSecret, readBindingSecret, readCookie } from '../http/binding-cookie.js';
import { CONFIRMATION_PATH } from '../wechat/confirmation/confirmation-link.js';
import { OPENER_COOKIE_NAME, OPENER_PROOF_MAX_AGE_MS, type OpenerProofs } from '../wechat/confirmation/opener-proof.js';
import type { WebAuthorization } from '../wechat/oauth/web-authorization.js';
import type { SceneDocument } from '../wechat/scenes/scene.js';
import type { ConfirmationLanguage } from '../wechat/confirmation/texts.js';

/**
 * The confirmation link, bound to the person who scanned (WECHAT_MP_CONFIRM_VERIFY_OPENER). Opened
 * inside WeChat, it first passes through a silent web authorization (snsapi_base), which tells us
 * the openid of whoever opened it; only the WeChat user who scanned earns the proof cookie that
 * lets the page ask and take an answer. A forwarded link, or one read off a log, answers nothing.
 */
export interface ConfirmationOpenerCheck {
  webAuthorization: WebAuthorization;
  proofs: OpenerProofs;
  /** BETTER_AUTH_URL: WeChat sends the browser back to the page at this origin. */
  publicBaseUrl: string;
  secureCookies: boolean;
}

/** Where the person who opened the link stands before the page may ask. */
export type OpenerStanding = 'proven' | 'outside-wechat' | 'unproven';

export function openerStanding(check: ConfirmationOpenerCheck, req: Request, scene: SceneDocument): OpenerStanding {
  if (check.proofs.verify(scene, readCookie(req, OPENER_COOKIE_NAME))) return 'proven';
  return isWechatBrowser(req.get('user-agent')) ? 'unproven' : 'outside-wechat';
}

export function hasOpenerProof(check: ConfirmationOpenerCheck, req: Request, scene: SceneDocument): boolean {
  return check.proofs.verify(scene, readCookie(req, OPENER_COOKIE_NAME));
}

/** The page's own address (what WeChat sends the browser back to): its token and language, never the code or state. */
export function confirmationReturnPath(sceneId: string, token: string, language: ConfirmationLanguage): string {
  return `${CONFIRMATION_PATH}/${sceneId}?t=${encodeURIComponent(token)}&lang=${language}`;
}

/** Starts the silent web authorization: a state for this browser, and WeChat's authorization page. */
export async function startOpenerCheck(check: ConfirmationOpenerCheck, req: Request, res: Response, sceneId: string, returnPath: string): Promise<string> {
  const bindingSecret = ensureBindingSecret(req, res, check.secureCookies);
  const redirects = { callbackURL: returnPath, newUserCallbackURL: returnPath, errorCallbackURL: returnPath };
  const state = await check.webAuthorization.states.issue({ bindingSecret, purpose: { kind: 'confirm', sceneId, returnTo: returnPath }, redirects });
  return check.webAuthorization.authorizeUrl({ redirectUri: `${check.publicBaseUrl}${returnPath}`, scope: 'snsapi_base', state });
}

export type OpenerReturn =
  /** The opener is the scanner: the proof cookie is set and the browser goes back to `returnPath`. */
  | { kind: 'proven'; returnPath: string }
  | { kind: 'other-person'; openerOpenid: string }
  | { kind: 'refused'; reason: 'state' | 'code' | 'wechat' };

/** Back from WeChat: this browser's state for this scene, the code exchanged once, the openid compared. */
export async function finishOpenerCheck(check: ConfirmationOpenerCheck, req: Request, res: Response, scene: SceneDocument): Promise<OpenerReturn> {
  const consumed = await check.webAuthorization.states.consume(req.query.state, readBindingSecret(req));
  if (!consumed.ok || consumed.state.purpose.kind !== 'confirm' || consumed.state.purpose.sceneId !== scene._id) return { kind: 'refused', reason: 'state' };
  const { returnTo } = consumed.state.purpose;
  const code = req.query.code;
  if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(code)) return { kind: 'refused', reason: 'code' };
  let openid: string;
  try {
    openid = (await check.webAuthorization.client.exchangeCode(code)).openid;
  } catch (error) {
    req.log.warn({ code: (error as { code?: string }).code }, '[WeChat MP] the confirmation link could not learn who opened it');
    return { kind: 'refused', reason: 'wechat' };
  }
  if (openid !== scene.openid) return { kind: 'other-person', openerOpenid: openid };
  res.cookie(OPENER_COOKIE_NAME, check.proofs.proofFor(scene), {
    httpOnly: true,
    sameSite: 'lax',
    secure: check.secureCookies,
    path: `${CONFIRMATION_PATH}/${scene._id}`,
    maxAge: OPENER_PROOF_MAX_AGE_MS,
  });
  return { kind: 'proven', returnPath: returnTo };
}
