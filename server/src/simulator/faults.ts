import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestHandler } from 'express';
import { wechatErrorBody } from './wechat-error-bodies.js';

/** Error injection, so tests can show how our server copes with WeChat misbehaving. */
export interface SimulatorFaults {
  /** Every API call gets its socket destroyed without an answer, like a network outage. */
  down(): void;
  /** Every API answer is delayed by `ms`. */
  slow(ms: number): void;
  /** The next `count` JSON API calls answer `{errcode, errmsg}` (a rid is appended). */
  failNext(errcode: number, errmsg?: string, count?: number): void;
  /** Every access token issued so far becomes invalid (40001 on use); new ones work. */
  revokeTokens(): void;
  /** Ends down, slow and pending failNext. Revoked tokens stay revoked. */
  clear(): void;
}

interface InjectedFailure {
  errcode: number;
  errmsg: string | undefined;
}

export interface SimulatorFaultControls {
  faults: SimulatorFaults;
  /** For every /cgi-bin route: down and slow. */
  connectionFaults: RequestHandler;
  /** For the JSON API routes only (showqrcode lives on another WeChat host and answers images). */
  injectedErrors: RequestHandler;
}

export function createSimulatorFaults(revokeAllTokens: () => void): SimulatorFaultControls {
  let isDown = false;
  let delayMs = 0;
  const pendingFailures: InjectedFailure[] = [];

  const faults: SimulatorFaults = {
    down() {
      isDown = true;
    },
    slow(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('slow(ms) needs a non-negative number');
      delayMs = ms;
    },
    failNext(errcode, errmsg, count = 1) {
      if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('failNext count must be a positive integer');
      for (let index = 0; index < count; index += 1) pendingFailures.push({ errcode, errmsg });
    },
    revokeTokens() {
      revokeAllTokens();
    },
    clear() {
      isDown = false;
      delayMs = 0;
      pendingFailures.length = 0;
    },
  };

  const connectionFaults: RequestHandler = async (req, _res, next) => {
    if (isDown) {
      req.socket.destroy();
      return;
    }
    if (delayMs > 0) await sleep(delayMs);
    next();
  };

  const injectedErrors: RequestHandler = (_req, res, next) => {
    const failure = pendingFailures.shift();
    if (failure === undefined) {
      next();
      return;
    }
    res.json(wechatErrorBody(failure.errcode, failure.errmsg));
  };

  return { faults, connectionFaults, injectedErrors };
}
