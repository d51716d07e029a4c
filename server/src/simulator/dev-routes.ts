import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { isAppError } from '../errors.js';
import { answerResultPageHtml, confirmScanPageHtml, countdownScript, phonePageHtml, problemPageHtml, scanResultPageHtml } from './dev-pages.js';
import { sendHtmlPage } from './html.js';
import type { SimulatedPhone } from './phone.js';
import type { TicketRegistry } from './tickets.js';
import { OPENID_PATTERN, randomNewUserSeed, type UserDirectory, type UserSeed } from './users.js';
import { readIdentityCookie } from './wechat-identity-cookie.js';

/** The developer pages: GET / (the phone), GET /q/:code (what a scanned code opens), POST /phone/scan. */

export interface DevRouteDeps {
  now: () => number;
  tickets: TicketRegistry;
  users: UserDirectory;
  phone: SimulatedPhone;
}

const RECENT_USERS_SHOWN = 3;

const scanRequestSchema = z.object({
  ticket: z.string().min(1).max(1024),
  openid: z.string().regex(OPENID_PATTERN).optional(),
  /** Also open the reply's confirmation link and tap this answer (scripts and browser tests). */
  answer: z.enum(['confirm', 'deny']).optional(),
});

/** A remembered user keeps their state; an openid never seen starts as a new follower-to-be. */
function userToScanAs(users: UserDirectory, openid: string | undefined): UserSeed {
  if (openid === undefined) return randomNewUserSeed();
  const known = users.byOpenid.get(openid);
  return known ? { openid, unionid: known.unionid, subscribed: known.subscribed } : { openid, unionid: null, subscribed: false };
}

export function devRoutes({ now, tickets, users, phone }: DevRouteDeps): Router {
  const router = Router();
  const recentUsers = () => users.recent(RECENT_USERS_SHOWN);

  router.get('/', (req: Request, res: Response) => {
    const identity = readIdentityCookie(req);
    const signedIn = identity === undefined ? undefined : users.byOpenid.get(identity);
    sendHtmlPage(res, 200, 'WeChat simulator', phonePageHtml(tickets.live(), recentUsers(), req.baseUrl, signedIn), countdownScript(now()));
  });

  router.get('/q/:code', (req: Request, res: Response) => {
    const found = tickets.lookup(`/q/${String(req.params.code)}`);
    if (found.kind !== 'live') {
      const message = found.kind === 'expired' ? 'This QR code has expired.' : 'This QR code is unknown.';
      sendHtmlPage(res, found.kind === 'expired' ? 410 : 404, 'QR code', problemPageHtml('QR code', message, req.baseUrl));
      return;
    }
    sendHtmlPage(res, 200, 'Confirm scan', confirmScanPageHtml(found.ticket, recentUsers(), req.baseUrl), countdownScript(now()));
  });

  router.post(
    '/phone/scan',
    express.urlencoded({ extended: false, limit: '8kb' }),
    express.json({ limit: '8kb' }),
    async (req: Request, res: Response) => {
      const fromForm = req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
      const parsed = scanRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        const message = 'Send {ticket, openid?}: a ticket, and an openid of [A-Za-z0-9_-]';
        if (fromForm) sendHtmlPage(res, 400, 'Scan', problemPageHtml('Scan refused', message, req.baseUrl));
        else res.status(400).json({ error: { code: 'WECHAT_SIMULATOR_BAD_SCAN_REQUEST', message } });
        return;
      }
      const user = userToScanAs(users, parsed.data.openid);
      try {
        const result = await phone.scan({ ticketOrUrl: parsed.data.ticket, user });
        const answer = parsed.data.answer ? await phone.answerConfirmation(result.reply, parsed.data.answer) : undefined;
        if (fromForm) sendHtmlPage(res, 200, 'Scanned', scanResultPageHtml(user.openid, result, req.baseUrl));
        else {
          const answered = answer && { status: answer.status, outcome: answer.outcome };
          res.json({ openid: user.openid, event: result.fields.Event, eventKey: result.fields.EventKey, status: result.status, reply: result.reply, answer: answered });
        }
      } catch (error) {
        const status = isAppError(error) ? error.status : 500;
        const code = isAppError(error) ? error.code : 'WECHAT_SIMULATOR_SCAN_FAILED';
        const message = isAppError(error) ? error.message : 'The scan failed';
        if (fromForm) sendHtmlPage(res, status, 'Scan', problemPageHtml('Scan failed', message, req.baseUrl));
        else res.status(status).json({ error: { code, message } });
      }
    },
  );

  /**
   * The reply's link answered in the scanner's WeChat (the phone's in-app browser, on the server),
   * for a developer at a desktop browser: the confirmation page only answers inside WeChat, for the
   * WeChat user who scanned.
   */
  router.post('/phone/answer', express.urlencoded({ extended: false, limit: '8kb' }), async (req: Request, res: Response) => {
    const parsed = answerRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      sendHtmlPage(res, 400, 'Answer', problemPageHtml('Answer refused', 'Send {openid, link, decision}: the scanner, the link of the reply, confirm or deny', req.baseUrl));
      return;
    }
    const { openid, link, decision } = parsed.data;
    try {
      const answer = await phone.answerConfirmation({ ToUserName: openid, Content: `<a href="${link}">link</a>` }, decision);
      sendHtmlPage(res, 200, 'Answered', answerResultPageHtml(openid, answer, req.baseUrl));
    } catch (error) {
      const message = isAppError(error) ? error.message : 'The answer failed';
      sendHtmlPage(res, isAppError(error) ? error.status : 500, 'Answer', problemPageHtml('Answer failed', message, req.baseUrl));
    }
  });

  return router;
}

/** Only a confirmation link of the app is opened on a developer's behalf, nothing else the form could name. */
const answerRequestSchema = z.object({
  openid: z.string().regex(OPENID_PATTERN),
  link: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/[^\s"<>]+\/api\/v1\/pub\/mp\/confirm\/[A-Za-z0-9_-]+\?[^\s"<>]*$/),
  decision: z.enum(['confirm', 'deny']),
});
