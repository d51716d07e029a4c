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

export interface ScanConfirmationRouterDeps extends ScanConfirmationDeps {
  siteName: string;
  rateLimiter: RateLimiter;
  audit: AuditRecorder;
  /** The user a WeChat openid belongs to (the identity module): answers show in that user's history. */
  findUserIdByOpenid: (openid: string) => Promise<string | null>;
}

const OUTCOME_STATUS: Record<ConfirmationOutcome, number> = { confirmed: 200, denied: 200, decided: 409, expired: 410, invalid: 404 };
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
    const { outcome, scene } = await decideScan(deps, sceneId, token, decision as 'confirm' | 'deny');
    if (scene?.openid) await recordDecision(deps, req, scene.openid, outcome, scene.purpose);
    req.log.info({ sceneId, outcome }, `[WeChat MP] scan ${outcome === 'confirmed' || outcome === 'denied' ? outcome : `answer refused (${outcome})`} on the phone`);
    sendOutcome(res, context, outcome);
  });

  return router;
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
