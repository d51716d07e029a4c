import express, { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { isAppError } from '../errors.js';
import { sendError } from '../http/error-response.js';
import type { MessageCipher } from './crypto.js';
import { openInboundMessage, verifyUrlVerification, type InboundMessage } from './inbound.js';
import { applyWechatEvent, type WebhookEventDeps } from './webhook-events.js';
import { buildEncryptedReplyXml, buildTextReplyXml, MAX_WECHAT_XML_BYTES } from './xml.js';

export interface WebhookRouterDeps extends WebhookEventDeps {
  token: string;
  cipher: MessageCipher | null;
  replayWindowSeconds: number;
  now?: () => number;
}

/**
 * `GET|POST /webhook`: WeChat's URL verification and its pushes. Every request
 * is verified before anything is read or recorded; a failure answers 4xx in
 * our error shape and records nothing. Valid pushes answer `success` or a
 * passive reply (encrypted in safe mode) well inside WeChat's 5 s.
 */
export function webhookRouter(deps: WebhookRouterDeps): Router {
  const router = Router();
  const log = deps.logger;
  const now = deps.now ?? Date.now;

  router.get('/webhook', (req, res) => {
    try {
      const echostr = verifyUrlVerification({ query: req.query, token: deps.token, replayWindowSeconds: deps.replayWindowSeconds, nowMs: now() });
      log.info('[WeChat Webhook] URL verification succeeded');
      res.type('text/plain').send(echostr);
    } catch (error) {
      refuse(req, res, error, log);
    }
  });

  router.post(
    '/webhook',
    // WeChat sends text/xml, but some proxies rewrite it: read any body as text, within the XML limit.
    express.text({ type: () => true, limit: MAX_WECHAT_XML_BYTES }),
    async (req, res, next) => {
      let message: InboundMessage;
      try {
        message = openInboundMessage({
          query: req.query,
          rawBody: typeof req.body === 'string' ? req.body : '',
          token: deps.token,
          cipher: deps.cipher,
          replayWindowSeconds: deps.replayWindowSeconds,
          nowMs: now(),
          requireEncryption: deps.cipher !== null,
        });
      } catch (error) {
        refuse(req, res, error, log);
        return;
      }
      try {
        const outcome = await applyWechatEvent(deps, message.event);
        if (!outcome.replyText) {
          res.type('text/plain').send('success');
          return;
        }
        res.type('application/xml').send(buildReply(deps, message, outcome.replyText, now()));
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

function buildReply(deps: WebhookRouterDeps, message: InboundMessage, content: string, nowMs: number): string {
  const createTimeSeconds = Math.floor(nowMs / 1000);
  const xml = buildTextReplyXml({ toUser: message.event.fromUserName, fromUser: message.event.toUserName, content, createTimeSeconds });
  if (message.mode === 'plain' || !deps.cipher) return xml;
  const sealed = deps.cipher.buildEncryptedReply({ message: xml, timestamp: String(createTimeSeconds) });
  return buildEncryptedReplyXml({ encrypt: sealed.encrypt, msgSignature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce });
}

function refuse(req: Request, res: Response, error: unknown, log: Logger): void {
  if (!isAppError(error)) throw error;
  log.warn({ code: error.code, reqId: req.id ?? randomUUID(), details: error.details }, `[WeChat Webhook] refused: ${error.message}`);
  sendError(res, error.status, error.code, error.message);
}
