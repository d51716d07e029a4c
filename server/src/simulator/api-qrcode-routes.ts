import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import type { AccessTokenRegistry } from './access-tokens.js';
import { jsonObjectBody, queryValue, readBodyText, requireAccessToken } from './api-request.js';
import type { SimulatorFaultControls } from './faults.js';
import type { SimulatorStats } from './stats.js';
import type { NewTicketInput, TicketRegistry } from './tickets.js';
import { wechatErrorBody } from './wechat-error-bodies.js';

/** POST /cgi-bin/qrcode/create (temporary parametric codes) and GET /cgi-bin/showqrcode. */

export const MAX_TEMPORARY_QR_EXPIRE_SECONDS = 2_592_000;
/** WeChat's default when expire_seconds is left out. */
export const DEFAULT_QR_EXPIRE_SECONDS = 30;
const MAX_SCENE_STR_LENGTH = 64;
const MAX_SCENE_ID = 0xffff_ffff;

export interface QrcodeRouteDeps {
  tokens: AccessTokenRegistry;
  tickets: TicketRegistry;
  stats: SimulatorStats;
  faults: SimulatorFaultControls;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ticket to create, or null when WeChat would answer 40097 invalid args. */
function readTicketRequest(body: Record<string, unknown>): NewTicketInput | null {
  const expireSeconds = body.expire_seconds ?? DEFAULT_QR_EXPIRE_SECONDS;
  if (typeof expireSeconds !== 'number' || !Number.isSafeInteger(expireSeconds)) return null;
  if (expireSeconds < 1 || expireSeconds > MAX_TEMPORARY_QR_EXPIRE_SECONDS) return null;
  const actionInfo = body.action_info;
  const scene = isRecord(actionInfo) && isRecord(actionInfo.scene) ? actionInfo.scene : {};
  if (body.action_name === 'QR_STR_SCENE') {
    const sceneStr = scene.scene_str;
    if (typeof sceneStr !== 'string' || sceneStr.length < 1 || sceneStr.length > MAX_SCENE_STR_LENGTH) return null;
    return { sceneStr, actionName: 'QR_STR_SCENE', expireSeconds };
  }
  if (body.action_name === 'QR_SCENE') {
    const sceneId = scene.scene_id;
    if (typeof sceneId !== 'number' || !Number.isSafeInteger(sceneId) || sceneId < 1 || sceneId > MAX_SCENE_ID) return null;
    return { sceneStr: String(sceneId), actionName: 'QR_SCENE', expireSeconds };
  }
  return null;
}

export function qrcodeRoutes({ tokens, tickets, stats, faults }: QrcodeRouteDeps): Router {
  const router = Router();

  router.post('/qrcode/create', faults.injectedErrors, requireAccessToken(tokens), readBodyText, (req: Request, res: Response) => {
    const body = jsonObjectBody(req);
    if (!body) {
      res.json(wechatErrorBody(47001));
      return;
    }
    const request = readTicketRequest(body);
    if (!request) {
      res.json(wechatErrorBody(40097));
      return;
    }
    const created = tickets.create(request);
    stats.qrcodesCreated += 1;
    res.json({ ticket: created.ticket, expire_seconds: request.expireSeconds, url: created.url });
  });

  // On mp.weixin.qq.com, without a token; an unknown or expired ticket is a plain 404.
  router.get('/showqrcode', async (req: Request, res: Response) => {
    const ticket = queryValue(req, 'ticket') ?? '';
    const found = tickets.lookup(ticket);
    // Only the exact ticket: lookup() would also take a /q/ URL, which WeChat does not here.
    if (found.kind !== 'live' || found.ticket.ticket !== ticket) {
      res.status(404).type('text/plain').send('Not Found');
      return;
    }
    // WeChat's images are 430 px wide.
    const png = await QRCode.toBuffer(found.ticket.url, { type: 'png', width: 430, margin: 2, errorCorrectionLevel: 'M' });
    res.type('image/png').setHeader('cache-control', 'no-store');
    res.send(png);
  });

  return router;
}
