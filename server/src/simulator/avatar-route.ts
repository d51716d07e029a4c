import { Router, type Request, type Response } from 'express';
import { avatarColourFor, solidColourPng } from './avatar-png.js';
import type { SimulatorStats } from './stats.js';
import { OPENID_PATTERN } from './users.js';

/**
 * GET /mmopen/:openid/:size, the simulated thirdwx.qlogo.cn. WeChat's headimgurl ends in the size:
 * 46, 64, 96 or 132 pixels, or 0 for the 640-pixel original.
 */

export const AVATAR_PATH = '/mmopen';
const DEFAULT_AVATAR_SIZE = '132';
const AVATAR_SIZES_PX: Readonly<Record<string, number>> = { '0': 640, '46': 46, '64': 64, '96': 96, '132': 132 };

/** The headimgurl WeChat would give for this user. */
export function headImgUrl(publicBaseUrl: string, openid: string): string {
  return `${publicBaseUrl}${AVATAR_PATH}/${encodeURIComponent(openid)}/${DEFAULT_AVATAR_SIZE}`;
}

export function avatarRoute(stats: SimulatorStats): Router {
  const router = Router();
  router.get(`${AVATAR_PATH}/:openid/:size`, (req: Request, res: Response) => {
    const openid = String(req.params.openid);
    const sizePx = AVATAR_SIZES_PX[String(req.params.size)];
    if (!OPENID_PATTERN.test(openid) || sizePx === undefined) {
      res.status(404).type('text/plain').send('Not Found');
      return;
    }
    stats.avatarDownloads += 1;
    // Like a CDN image: cacheable, never sniffed as something else.
    res.type('image/png').setHeader('cache-control', 'public, max-age=86400');
    res.setHeader('x-content-type-options', 'nosniff');
    res.send(solidColourPng(sizePx, avatarColourFor(openid)));
  });
  return router;
}
