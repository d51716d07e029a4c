import { Router, type Request } from 'express';
import { WECHAT_PUBLIC_ROUTES, type SuccessBody, type Qrcode, type ScanResult } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import { ensureBindingSecret, readBindingSecret } from '../http/binding-cookie.js';
import { issueQrcode, readScanResult, type QrLoginDeps } from '../wechat/qr-login.js';
import { isValidSceneId } from '../wechat/scenes/scene.js';
import { requesterOf } from '../http/requester.js';
import type { AuditRecorder } from '../audit/types.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import type { ScenePurpose } from '../wechat/scenes/scene.js';
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

/** A single query value that must be a plain string: arrays and objects are refused. */
export function singleQueryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AppError(400, 'INVALID_QUERY', `Query parameter "${name}" must appear once, as plain text.`, { parameter: name });
  return value;
}

export function sceneIdFrom(req: Request): string {
  const sceneId = singleQueryValue(req, 'sceneId');
  if (!sceneId) throw new AppError(400, 'INVALID_QUERY', 'Query parameter "sceneId" is required.', { parameter: 'sceneId' });
  if (!isValidSceneId(sceneId)) throw new AppError(400, 'INVALID_QUERY', 'Query parameter "sceneId" is not a scene id from get-qrcode.', { parameter: 'sceneId' });
  return sceneId;
}

function purposeFrom(req: Request): ScenePurpose {
  const purpose = singleQueryValue(req, 'purpose') ?? 'login';
  if (purpose !== 'login' && purpose !== 'bind') throw new AppError(400, 'INVALID_QUERY', 'Query parameter "purpose" must be "login" or "bind".', { parameter: 'purpose' });
  return purpose;
}

/** The browser-facing QR routes under /api/v1/pub/mp (the guide's paths and shapes). */
export function wechatPublicRouter(deps: WechatPublicRouterDeps): Router {
  const router = Router();
  const { limit } = deps.rateLimiter;

  router.get(WECHAT_PUBLIC_ROUTES.getQrcode, limit(RATE_LIMIT_RULES.getQrcode), async (req, res) => {
    const purpose = purposeFrom(req);
    const bindingSecret = ensureBindingSecret(req, res, deps.secureCookies);
    const data = await issueQrcode(deps, { bindingSecret, purpose, requester: requesterOf(req) });
    req.log.info({ sceneId: data.sceneId, purpose }, '[API] QR code issued');
    // The scene id is a one-time ticket: the trail keeps a prefix to match log lines, not the ticket.
    deps.audit.record({ type: 'qr.created', outcome: 'success', ...requestAuditMeta(req), details: { purpose, scene: data.sceneId.slice(0, 8) } });
    const body: SuccessBody<Qrcode> = { success: true, data };
    res.setHeader('Cache-Control', 'no-store').json(body);
  });

  router.get(WECHAT_PUBLIC_ROUTES.getScanResult, limit(RATE_LIMIT_RULES.getScanResult), async (req, res) => {
    const data = await readScanResult(deps, sceneIdFrom(req), readBindingSecret(req));
    const body: SuccessBody<ScanResult> = { success: true, data };
    res.setHeader('Cache-Control', 'no-store').json(body);
  });

  router.get(WECHAT_PUBLIC_ROUTES.scanEvents, limit(RATE_LIMIT_RULES.scanEvents), async (req, res) => {
    await streamScanEvents(req, res, { scenes: deps.scenes, notifier: deps.notifier, sceneId: sceneIdFrom(req), bindingSecret: readBindingSecret(req) });
  });

  return router;
}
