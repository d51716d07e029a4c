import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PushEnvelope } from './push-envelope.js';

/**
 * Sends one push over HTTP the way WeChat does: POST text/xml, give up after the timeout, and
 * (when asked to) send it again on a timeout or a non-2xx answer. Each attempt is built afresh
 * (a new timestamp and nonce) from the same message, so CreateTime stays the same.
 */

export interface DeliveryRequest {
  webhookUrl: string;
  buildEnvelope: () => PushEnvelope;
  timeoutMs: number;
  retries: number;
  logger: Logger;
  onAttempt: () => void;
  onAcknowledged: () => void;
}

export interface DeliveryOutcome {
  status: number;
  body: string;
  attempts: number;
  /** The last envelope sent. */
  envelope: PushEnvelope;
}

async function postOnce(url: string, envelope: PushEnvelope, timeoutMs: number): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(envelope.query)) target.searchParams.set(name, value);
  const response = await fetch(target, {
    method: 'POST',
    // WeChat's push client identifies itself like this.
    headers: { 'content-type': 'text/xml', 'user-agent': 'Mozilla/4.0' },
    body: envelope.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}

export async function deliverPush(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const totalAttempts = request.retries + 1;
  let lastFailure: unknown;
  for (let attempt = 1; attempt <= totalAttempts; attempt += 1) {
    const envelope = request.buildEnvelope();
    request.onAttempt();
    try {
      const answer = await postOnce(request.webhookUrl, envelope, request.timeoutMs);
      const acknowledged = answer.status >= 200 && answer.status < 300;
      if (acknowledged) request.onAcknowledged();
      if (acknowledged || attempt === totalAttempts) return { ...answer, attempts: attempt, envelope };
      request.logger.info({ status: answer.status, attempt }, '[WeChat Simulator] webhook answered non-2xx, retrying');
    } catch (error) {
      lastFailure = error;
      request.logger.info({ err: error, attempt }, '[WeChat Simulator] webhook did not answer');
    }
  }
  const timedOut = lastFailure instanceof DOMException && lastFailure.name === 'TimeoutError';
  throw new AppError(
    504,
    'WECHAT_SIMULATOR_WEBHOOK_UNREACHABLE',
    timedOut
      ? `The webhook did not answer within ${request.timeoutMs} ms (${totalAttempts} attempt(s))`
      : `The webhook could not be reached (${totalAttempts} attempt(s))`,
    { webhookUrl: request.webhookUrl, attempts: totalAttempts },
    { cause: lastFailure },
  );
}
