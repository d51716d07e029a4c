import express, { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { isAppError } from '../errors.js';
import { sendError } from '../http/error-response.js';
import type { MessageCipher } from './crypto.js';
import { openInboundMessage, signedQueryOf, verifyUrlVerification, type InboundMessage } from './inbound.js';
import type { SignedQueryLedger } from './signed-query-ledger.js';
import { applyWechatEvent, type WebhookEventDeps } from './webhook-events.js';
import { MAX_WECHAT_XML_BYTES } from './xml/parse.js';
import { buildEncryptedReplyXml, buildTextReplyXml } from './xml/reply.js';
import type { Db } from 'mongodb';
import type { CountingAuditRecorder } from '../audit/types.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { auditRefusedPush } from './webhook-refusals.js';
import type { SceneDocument } from './scenes/scene.js';
import { findUserIdByOpenid } from './wechat-user-lookup.js';

export interface WebhookRouterDeps extends WebhookEventDeps {
  db: Db;
  audit: CountingAuditRecorder | undefined;
  token: string;
  cipher: MessageCipher | null;
  replayWindowSeconds: number;
  /** Where each signed query whose signature does not cover the body is held to one body. */
  signedQueries: SignedQueryLedger;
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

  router.get('/webhook', async (req, res) => {
    try {
      const echostr = verifyUrlVerification({ query: req.query, token: deps.token, replayWindowSeconds: deps.replayWindowSeconds, nowMs: now() });
      // The signature does not cover echostr: the same query may echo the same string only.
      await deps.signedQueries.assertUsable(signedQueryOf(req.query), { kind: 'url-verification', payload: echostr });
      log.info('[WeChat Webhook] URL verification succeeded');
      res.type('text/plain').send(echostr);
    } catch (error) {
      refuse(req, res, error, log, deps.audit);
    }
  });

  router.post(
    '/webhook',
    // WeChat sends text/xml, but some proxies rewrite it: read any body as text, within the XML limit.
    express.text({ type: () => true, limit: MAX_WECHAT_XML_BYTES }),
    async (req, res, next) => {
      let message: InboundMessage;
      const rawBody = typeof req.body === 'string' ? req.body : '';
      try {
        message = openInboundMessage({
          query: req.query,
          rawBody,
          token: deps.token,
          cipher: deps.cipher,
          replayWindowSeconds: deps.replayWindowSeconds,
          nowMs: now(),
          requireEncryption: deps.cipher !== null,
        });
        // Plain mode: the signature vouches for the query, not the body; one body per signed query.
        if (message.bodyUnboundQuery) await deps.signedQueries.assertUsable(message.bodyUnboundQuery, { kind: 'push', payload: rawBody });
      } catch (error) {
        refuse(req, res, error, log, deps.audit);
        return;
      }
      try {
        const outcome = await applyWechatEvent(deps, message.event);
        if (outcome.applied && outcome.scene) recordScan(deps, req, outcome.scene);
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

/**
 * The first recording of a scan, in the audit trail. The user is looked up
 * after WeChat has its answer: the webhook's reply never waits for it.
 */
function recordScan(deps: WebhookRouterDeps, req: Request, scene: SceneDocument): void {
  if (!deps.audit || !scene.openid) return;
  const audit = deps.audit;
  const meta = requestAuditMeta(req);
  const openid = scene.openid;
  const record = (userId: string | null) =>
    audit.record({ type: 'scan.received', outcome: 'success', userId, ...meta, details: { purpose: scene.purpose, openid, scene: scene._id.slice(0, 8) } });
  void findUserIdByOpenid(deps.db, openid).then(record, () => record(null));
}

function refuse(req: Request, res: Response, error: unknown, log: Logger, audit?: CountingAuditRecorder): void {
  if (!isAppError(error)) throw error;
  auditRefusedPush(audit, req, error.code);
  log.warn({ code: error.code, reqId: req.id ?? randomUUID(), details: error.details }, `[WeChat Webhook] refused: ${error.message}`);
  sendError(res, error.status, error.code, error.message);
}
