import { Router, type ErrorRequestHandler, type Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { CompleteProfileBodySchema, type OwnProfile, type SuccessBody } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import { requireSignedIn, sessionOf } from '../http/require-signed-in.js';
import { parseBody } from '../http/parse-input.js';
import { requireTrustedOrigin } from '../http/require-trusted-origin.js';
import { readAvatarUpload } from '../profile/avatar-upload.js';
import { completeProfile, replaceAvatar, toOwnProfile, type ProfileDeps } from '../profile/profile-service.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../rate-limit/rules.js';

export interface ProfileRouterDeps extends ProfileDeps {
  rateLimiter: RateLimiter;
}

/**
 * A refusal sent before the upload was read (too large, wrong type, not signed in) closes the
 * connection instead of draining the rest of a body nobody wants.
 */
const closeUnreadUpload: ErrorRequestHandler = (error, req, res, next) => {
  if (!req.complete) res.setHeader('Connection', 'close');
  next(error);
};

/**
 * `/api/v1/me`: the signed-in user's profile. Middleware is per route, not `router.use`, because
 * other features mount routers on `/api/v1/me` too.
 */
export function ownProfileRouter(deps: ProfileRouterDeps): Router {
  const router = Router();
  const signedIn = requireSignedIn(deps.auth);
  const sameOrigin = requireTrustedOrigin(deps.auth);
  const limitProfile = deps.rateLimiter.limit(RATE_LIMIT_RULES.ownProfile);
  const send = (res: Response, data: OwnProfile) => res.json({ success: true, data } satisfies SuccessBody<OwnProfile>);

  router.get('/profile', limitProfile, signedIn, (_req, res) => {
    send(res, toOwnProfile(deps, sessionOf(res).user));
  });

  router.post('/profile', limitProfile, sameOrigin, signedIn, async (req, res) => {
    const input = parseBody(CompleteProfileBodySchema, req, 'INVALID_PROFILE');
    const profile = await completeProfile(deps, sessionOf(res).user, input);
    req.log.info({ userId: sessionOf(res).user.id, nameChanged: input.name !== undefined }, '[API] profile completed');
    send(res, profile);
  });

  router.put(
    '/avatar',
    deps.rateLimiter.limit(RATE_LIMIT_RULES.avatarUpload),
    sameOrigin,
    signedIn,
    async (req, res) => {
      const upload = await readAvatarUpload(req, deps.avatarMaxBytes);
      const profile = await replaceAvatar(deps, sessionOf(res).user.id, upload);
      req.log.info({ userId: sessionOf(res).user.id, bytes: upload.bytes.length, contentType: upload.contentType }, '[API] avatar replaced');
      send(res, profile);
    },
  );
  router.use('/avatar', closeUnreadUpload);

  return router;
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** `/api/v1/pub/avatars/:id`: public, and immutable: a new avatar gets a new id, hence a new URL. */
export function avatarsRouter(deps: Pick<ProfileRouterDeps, 'avatars' | 'rateLimiter'>): Router {
  const router = Router();
  router.get('/:id', deps.rateLimiter.limit(RATE_LIMIT_RULES.avatarRead), async (req, res) => {
    const avatar = await deps.avatars.find(String(req.params.id));
    if (!avatar) throw new AppError(404, 'AVATAR_NOT_FOUND', 'No avatar has this id (it may have been replaced).');
    res.setHeader('Cache-Control', `public, max-age=${ONE_YEAR_SECONDS}, immutable`);
    res.setHeader('ETag', `"${avatar.id}"`);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', avatar.contentType);
    res.setHeader('Content-Length', String(avatar.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // An image, never a document: even opened on its own it runs nothing.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    // Apps that use this login show the user's `image` on their own pages.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    await pipeline(deps.avatars.openDownload(avatar.id), res);
  });
  return router;
}
