import { Router } from 'express';
import { z } from 'zod';
import { SceneIdSchema, WECHAT_PUBLIC_ROUTES, type SuccessBody, type Qrcode, type ScanResult } from '@wechat-login/shared';
import { parseQuery } from '../http/parse-input.js';
import { ensureBindingSecret, readBindingSecret } from '../http/binding-cookie.js';
import { issueQrcode, readScanResult, type QrLoginDeps } from '../wechat/qr-login.js';
import { requesterOf } from '../http/requester.js';
import type { AuditRecorder } from '../audit/types.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { streamScanEvents } from './scan-events.js';
import type { ScanNotifier } from '../wechat/scan-feed/scan-notifier.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../rate-limit/rules.js';

export interface WechatPublicRouterDeps extends QrLoginDeps {
  notifier: ScanNotifier;
  secureCookies: boolean;
  rateLimiter: RateLimiter;
  audit: AuditRecorder;
}

/** `?sceneId=`: one scene id from get-qrcode (an array, an object or anything else is refused before a lookup). */
const SceneQuerySchema = z.object({ sceneId: SceneIdSchema });
/** `?purpose=login|bind` of get-qrcode; a sign-in by default. */
const QrcodeQuerySchema = z.object({ purpose: z.enum(['login', 'bind']).default('login') });

/** The browser-facing QR routes under /api/v1/pub/mp (the guide's paths and shapes). */
export function wechatPublicRouter(deps: WechatPublicRouterDeps): Router {
  const router = Router();
  const { limit } = deps.rateLimiter;

  router.get(WECHAT_PUBLIC_ROUTES.getQrcode, limit(RATE_LIMIT_RULES.getQrcode), async (req, res) => {
    const { purpose } = parseQuery(QrcodeQuerySchema, req);
    const bindingSecret = ensureBindingSecret(req, res, deps.secureCookies);
    const data = await issueQrcode(deps, { bindingSecret, purpose, requester: requesterOf(req) });
    req.log.info({ sceneId: data.sceneId, purpose }, '[API] QR code issued');
    // The scene id is a one-time ticket: the trail keeps a prefix to match log lines, not the ticket.
    deps.audit.record({ type: 'qr.created', outcome: 'success', ...requestAuditMeta(req), details: { purpose, scene: data.sceneId.slice(0, 8) } });
    const body: SuccessBody<Qrcode> = { success: true, data };
    res.setHeader('Cache-Control', 'no-store').json(body);
  });

  router.get(WECHAT_PUBLIC_ROUTES.getScanResult, limit(RATE_LIMIT_RULES.getScanResult), async (req, res) => {
    const data = await readScanResult(deps, parseQuery(SceneQuerySchema, req).sceneId, readBindingSecret(req));
    const body: SuccessBody<ScanResult> = { success: true, data };
    res.setHeader('Cache-Control', 'no-store').json(body);
  });

  router.get(WECHAT_PUBLIC_ROUTES.scanEvents, limit(RATE_LIMIT_RULES.scanEvents), async (req, res) => {
    await streamScanEvents(req, res, { scenes: deps.scenes, notifier: deps.notifier, sceneId: parseQuery(SceneQuerySchema, req).sceneId, bindingSecret: readBindingSecret(req) });
  });

  return router;
}
