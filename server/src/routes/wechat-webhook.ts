import express, { Router, type Request, type Response } from 'express';
import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES } from '@wechat-login/shared';
import { isAppError } from '../errors.js';
import { sendError } from '../http/error-response.js';
import type { CountingAuditRecorder } from '../audit/types.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import { MAX_WECHAT_XML_BYTES } from '../wechat/xml/parse.js';
import type { InboundMessage } from '../wechat/inbound.js';
import type { SceneDocument } from '../wechat/scenes/scene.js';
import type { WebhookHandler } from '../wechat/webhook/webhook-handler.js';
import { auditRefusedPush, webhookRateLimit } from './webhook-refusals.js';

export interface WechatWebhookRouterDeps {
  handler: WebhookHandler;
  rateLimiter: RateLimiter;
  audit: CountingAuditRecorder;
  /** The user a WeChat openid belongs to (the identity module): scans show in that user's history. */
  findUserIdByOpenid: (openid: string) => Promise<string | null>;
}

/** Where the webhook router is mounted: only requests to this path ever enter it. */
export const WEBHOOK_PATH = `${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.webhook}`;

/**
 * `GET|POST /webhook` (mounted at WEBHOOK_PATH): WeChat's URL verification and its pushes, over
 * HTTP. The WeChat module does the protocol; here are the body limit, the per-address budget, the
 * answers, and what the audit trail keeps. A refused request answers 4xx in our error shape and
 * records nothing else.
 */
export function wechatWebhookRouter(deps: WechatWebhookRouterDeps): Router {
  const router = Router();
  router.use(webhookRateLimit(deps.rateLimiter, deps.audit));

  router.get('/', async (req, res) => {
    let echostr: string;
    try {
      echostr = await deps.handler.verifyUrl(req.query);
    } catch (error) {
      refuse(deps, req, res, error);
      return;
    }
    req.log.info('[WeChat Webhook] URL verification succeeded');
    res.type('text/plain').send(echostr);
  });

  router.post(
    '/',
    // WeChat sends text/xml, but some proxies rewrite it: read any body as text, within the XML limit.
    express.text({ type: () => true, limit: MAX_WECHAT_XML_BYTES }),
    async (req, res) => {
      let message: InboundMessage;
      try {
        message = await deps.handler.open(req.query, typeof req.body === 'string' ? req.body : '');
      } catch (error) {
        refuse(deps, req, res, error);
        return;
      }
      const answer = await deps.handler.answer(message);
      if (answer.recordedScan) recordScan(deps, req, answer.recordedScan);
      res.type(answer.contentType).send(answer.body);
    },
  );
  return router;
}

/**
 * The first recording of a scan, in the audit trail. The user is looked up after WeChat has its
 * answer: the webhook's reply never waits for it.
 */
function recordScan(deps: WechatWebhookRouterDeps, req: Request, scene: SceneDocument): void {
  if (!scene.openid) return;
  const meta = requestAuditMeta(req);
  const openid = scene.openid;
  const record = (userId: string | null) =>
    deps.audit.record({ type: 'scan.received', outcome: 'success', userId, ...meta, details: { purpose: scene.purpose, openid, scene: scene._id.slice(0, 8) } });
  void deps.findUserIdByOpenid(openid).then(record, () => record(null));
}

function refuse(deps: WechatWebhookRouterDeps, req: Request, res: Response, error: unknown): void {
  if (!isAppError(error)) throw error;
  auditRefusedPush(deps.audit, req, error.code);
  req.log.warn({ code: error.code, details: error.details }, `[WeChat Webhook] refused: ${error.message}`);
  sendError(res, error.status, error.code, error.message);
}
