import express, { Router, type Request, type Response } from 'express';
import { WECHAT_PUBLIC_ROUTES } from '@wechat-login/shared';
import type { AuditRecorder } from '../audit/types.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../rate-limit/rules.js';
import { isValidSceneId } from '../wechat/scenes/scene.js';
import { isWellFormedConfirmationToken } from '../wechat/confirmation/confirmation-link.js';
import { decisionPageHtml, outcomePageHtml, sendConfirmationPage } from './confirmation-page.js';
import { decideScan, openConfirmation, type ConfirmationOutcome, type ScanConfirmationDeps } from '../wechat/confirmation/scan-confirmation.js';
import { pickPageLanguage } from '../wechat/confirmation/texts.js';
import type { SceneDocument } from '../wechat/scenes/scene.js';
import { confirmationReturnPath, finishOpenerCheck, hasOpenerProof, openerStanding, startOpenerCheck, type ConfirmationOpenerCheck } from './confirmation-opener.js';

export interface ScanConfirmationRouterDeps extends ScanConfirmationDeps {
  siteName: string;
  rateLimiter: RateLimiter;
  audit: AuditRecorder;
  /** The user a WeChat openid belongs to (the identity module): answers show in that user's history. */
  findUserIdByOpenid: (openid: string) => Promise<string | null>;
  /** Set when only the WeChat user who scanned may answer (WECHAT_MP_CONFIRM_VERIFY_OPENER). */
  opener?: ConfirmationOpenerCheck | undefined;
}

const OUTCOME_STATUS: Record<ConfirmationOutcome, number> = {
  confirmed: 200,
  denied: 200,
  decided: 409,
  expired: 410,
  invalid: 404,
  'not-yours': 403,
  'open-in-wechat': 200,
  'verify-failed': 502,
};
const DECISIONS = new Set(['confirm', 'deny']);

/**
 * `GET|POST /confirm/:sceneId?t=…`: the page the link in the chat reply opens
 * on the phone, and its two answers (plain HTML forms: WeChat's in-app browser
 * needs nothing else). Mounted under the public WeChat routes.
 */
export function scanConfirmationRouter(deps: ScanConfirmationRouterDeps): Router {
  const router = Router();
  const limit = deps.rateLimiter.limit(RATE_LIMIT_RULES.scanConfirmation);
  // Mounted at WECHAT_PUBLIC_PATH, so this is CONFIRMATION_PATH/:sceneId.
  const routePath = `${WECHAT_PUBLIC_ROUTES.confirm}/:sceneId`;

  router.get(routePath, limit, async (req, res) => {
    const context = pageContext(req, deps.siteName);
    const sceneId = String(req.params.sceneId);
    const token = req.query.t;
    if (!isValidSceneId(sceneId) || !isWellFormedConfirmationToken(token)) return sendOutcome(res, context, 'invalid');
    const opened = await openConfirmation(deps, sceneId, token);
    if (opened.kind === 'done') return sendOutcome(res, context, opened.outcome);
    if (deps.opener) {
      const { opener } = deps;
      // Back from WeChat's (silent) authorization page with a code and a state.
      if (req.query.state !== undefined || req.query.code !== undefined) return returnFromWechat(deps, opener, req, res, context, opened.scene);
      const standing = openerStanding(opener, req, opened.scene);
      if (standing === 'outside-wechat') return sendOutcome(res, context, 'open-in-wechat');
      if (standing === 'unproven') {
        const url = await startOpenerCheck(opener, req, res, sceneId, confirmationReturnPath(sceneId, token, context.language));
        return redirectNoStore(res, url);
      }
    }
    const page = decisionPageHtml(context, opened.scene, token, (deps.now ?? Date.now)());
    sendConfirmationPage(res, 200, context, page.html, page.title);
  });

  router.post(routePath, limit, express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 }), async (req, res) => {
    const context = pageContext(req, deps.siteName);
    const sceneId = String(req.params.sceneId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { t: token, decision } = body;
    if (!isValidSceneId(sceneId) || !isWellFormedConfirmationToken(token) || typeof decision !== 'string' || !DECISIONS.has(decision)) {
      return sendOutcome(res, context, 'invalid');
    }
    if (deps.opener) {
      const scene = await deps.scenes.find(sceneId);
      // Only an answer for a live link needs its opener proven; the others get their usual page below.
      if (scene?.status === 'scanned' && deps.links.verify(scene, token) && !hasOpenerProof(deps.opener, req, scene)) {
        await recordOpenerRefused(deps, req, scene, 'no-proof');
        return sendOutcome(res, context, 'not-yours');
      }
    }
    const { outcome, scene } = await decideScan(deps, sceneId, token, decision as 'confirm' | 'deny');
    if (scene?.openid) await recordDecision(deps, req, scene.openid, outcome, scene.purpose);
    req.log.info({ sceneId, outcome }, `[WeChat MP] scan ${outcome === 'confirmed' || outcome === 'denied' ? outcome : `answer refused (${outcome})`} on the phone`);
    sendOutcome(res, context, outcome);
  });

  return router;
}

/** The end of the opener check: back to the question for the scanner; a refusal page for anyone else. */
async function returnFromWechat(deps: ScanConfirmationRouterDeps, opener: ConfirmationOpenerCheck, req: Request, res: Response, context: ReturnType<typeof pageContext>, scene: SceneDocument): Promise<void> {
  const result = await finishOpenerCheck(opener, req, res, scene);
  if (result.kind === 'proven') return redirectNoStore(res, result.returnPath);
  if (result.kind === 'refused') return sendOutcome(res, context, result.reason === 'wechat' ? 'verify-failed' : 'invalid');
  await recordOpenerRefused(deps, req, scene, 'other-wechat-user');
  req.log.warn({ sceneId: scene._id }, '[WeChat MP] a confirmation link was opened by another WeChat user than the one who scanned');
  sendOutcome(res, context, 'not-yours');
}

/** In the history of the person who scanned: someone else tried to answer for them. */
async function recordOpenerRefused(deps: ScanConfirmationRouterDeps, req: Request, scene: SceneDocument, reason: 'other-wechat-user' | 'no-proof'): Promise<void> {
  const userId = scene.openid ? await deps.findUserIdByOpenid(scene.openid).catch(() => null) : null;
  deps.audit.record({ type: 'scan.opener-refused', outcome: 'failure', userId, ...requestAuditMeta(req), details: { purpose: scene.purpose, reason } });
}

function redirectNoStore(res: Response, url: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.redirect(302, url);
}

/** Confirmations and denials in the audit trail, under the user the WeChat account belongs to (if any yet). */
async function recordDecision(deps: ScanConfirmationRouterDeps, req: Request, openid: string, outcome: ConfirmationOutcome, purpose: string): Promise<void> {
  const userId = await deps.findUserIdByOpenid(openid).catch(() => null);
  const type = outcome === 'confirmed' ? 'scan.confirmed' : 'scan.denied';
  deps.audit.record({ type, outcome: 'success', userId, ...requestAuditMeta(req), details: { purpose, openid } });
}

function pageContext(req: Request, siteName: string) {
  return { language: pickPageLanguage(req.query.lang, req.get('accept-language')), siteName, path: `${req.baseUrl}${req.path}` };
}

function sendOutcome(res: Response, context: ReturnType<typeof pageContext>, outcome: ConfirmationOutcome): void {
  const page = outcomePageHtml(context, outcome);
  sendConfirmationPage(res, OUTCOME_STATUS[outcome], context, page.html, page.title);
}
