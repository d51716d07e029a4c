/** What the simulator has been asked to do, so tests can count calls (e.g. one token fetch, not two). */
export interface SimulatorCounters {
  /** GET /cgi-bin/token requests received (answered or refused). */
  tokenFetches: number;
  /** POST /cgi-bin/stable_token requests received (answered or refused). */
  stableTokenFetches: number;
  /** Tickets actually created by POST /cgi-bin/qrcode/create. */
  qrcodesCreated: number;
  /** GET /cgi-bin/user/info requests received (answered or refused). */
  userInfoCalls: number;
  /** HTTP requests sent to the webhook, retries included. */
  pushesSent: number;
  /** Of those, the ones the webhook answered with a 2xx status. */
  pushesAcknowledged: number;
  /** GET /connect/oauth2/authorize requests received (pages shown and silent redirects alike). */
  oauthAuthorizePages: number;
  /** Codes handed to a redirect_uri. */
  oauthCodesIssued: number;
  /** GET /sns/oauth2/access_token requests received (answered or refused). */
  oauthCodeExchanges: number;
  /** GET /sns/userinfo requests received (answered or refused). */
  oauthUserInfoCalls: number;
  /** Avatar images served (headimgurl downloads). */
  avatarDownloads: number;
}

export interface SimulatorStats extends SimulatorCounters {
  reset(): void;
}

const ZERO: SimulatorCounters = {
  tokenFetches: 0,
  stableTokenFetches: 0,
  qrcodesCreated: 0,
  userInfoCalls: 0,
  pushesSent: 0,
  pushesAcknowledged: 0,
  oauthAuthorizePages: 0,
  oauthCodesIssued: 0,
  oauthCodeExchanges: 0,
  oauthUserInfoCalls: 0,
  avatarDownloads: 0,
};

export function createSimulatorStats(): SimulatorStats {
  const stats: SimulatorStats = {
    ...ZERO,
    reset() {
      Object.assign(stats, ZERO);
    },
  };
  return stats;
}
