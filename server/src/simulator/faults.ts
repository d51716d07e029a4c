import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestHandler } from 'express';
import { wechatErrorBody } from './wechat-error-bodies.js';

/**
 * What web authorization can go wrong with, each for the next call only:
 * - code-invalid / code-used / no-permission: /sns/oauth2/access_token answers 40029 / 40163 / 48001;
 * - snapshot-user: the next authorization issues a 朋友圈快照页 code (is_snapshotuser=1, a virtual openid);
 * - userinfo-fails: /sns/userinfo answers -1 (system busy).
 */
export type OAuthFaultKind = 'code-invalid' | 'code-used' | 'no-permission' | 'snapshot-user' | 'userinfo-fails';

const EXCHANGE_FAULT_ERRCODES = { 'code-invalid': 40029, 'code-used': 40163, 'no-permission': 48001 } as const;
const OAUTH_FAULT_KINDS: ReadonlySet<string> = new Set<OAuthFaultKind>(['code-invalid', 'code-used', 'no-permission', 'snapshot-user', 'userinfo-fails']);

/** Error injection, so tests can show how our server copes with WeChat misbehaving. */
export interface SimulatorFaults {
  /** Every API call gets its socket destroyed without an answer, like a network outage. */
  down(): void;
  /** Every API answer is delayed by `ms`. */
  slow(ms: number): void;
  /** The next `count` JSON API calls (/cgi-bin and /sns alike) answer `{errcode, errmsg}` (a rid is appended). */
  failNext(errcode: number, errmsg?: string, count?: number): void;
  /** Every access token issued so far becomes invalid (40001 on use); new ones work. */
  revokeTokens(): void;
  /** Web authorization misbehaves once in the way `kind` says (arming twice: twice). */
  failNextOAuth(kind: OAuthFaultKind): void;
  /** Ends down, slow, pending failNext and failNextOAuth. Revoked tokens stay revoked. */
  clear(): void;
}

interface InjectedFailure {
  errcode: number;
  errmsg: string | undefined;
}

export interface SimulatorFaultControls {
  faults: SimulatorFaults;
  /** For every /cgi-bin and /sns route: down and slow. */
  connectionFaults: RequestHandler;
  /** For the JSON API routes only (showqrcode lives on another WeChat host and answers images). */
  injectedErrors: RequestHandler;
  /** For /sns/oauth2/access_token: a pending code-invalid, code-used or no-permission. */
  oauthExchangeFaults: RequestHandler;
  /** For /sns/userinfo: a pending userinfo-fails. */
  oauthUserInfoFaults: RequestHandler;
  /** True (once per arming) when the authorization about to issue a code should issue a snapshot one. */
  takeSnapshotUserFault(): boolean;
}

export function createSimulatorFaults(revokeAllTokens: () => void): SimulatorFaultControls {
  let isDown = false;
  let delayMs = 0;
  const pendingFailures: InjectedFailure[] = [];
  const pendingExchangeErrcodes: number[] = [];
  let pendingUserInfoFailures = 0;
  let pendingSnapshotUsers = 0;

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
    failNextOAuth(kind) {
      // Tests may pass a string from a table: a typo must not arm nothing silently.
      if (!OAUTH_FAULT_KINDS.has(kind)) throw new RangeError(`failNextOAuth: unknown kind '${String(kind)}'`);
      if (kind === 'snapshot-user') pendingSnapshotUsers += 1;
      else if (kind === 'userinfo-fails') pendingUserInfoFailures += 1;
      else pendingExchangeErrcodes.push(EXCHANGE_FAULT_ERRCODES[kind]);
    },
    clear() {
      isDown = false;
      delayMs = 0;
      pendingFailures.length = 0;
      pendingExchangeErrcodes.length = 0;
      pendingUserInfoFailures = 0;
      pendingSnapshotUsers = 0;
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

  const oauthExchangeFaults: RequestHandler = (_req, res, next) => {
    const errcode = pendingExchangeErrcodes.shift();
    if (errcode === undefined) next();
    else res.json(wechatErrorBody(errcode));
  };

  const oauthUserInfoFaults: RequestHandler = (_req, res, next) => {
    if (pendingUserInfoFailures === 0) {
      next();
      return;
    }
    pendingUserInfoFailures -= 1;
    res.json(wechatErrorBody(-1));
  };

  function takeSnapshotUserFault(): boolean {
    if (pendingSnapshotUsers === 0) return false;
    pendingSnapshotUsers -= 1;
    return true;
  }

  return { faults, connectionFaults, injectedErrors, oauthExchangeFaults, oauthUserInfoFaults, takeSnapshotUserFault };
}
