/**
 * Where the API client gets its access token. The implementation (shared in MongoDB, one refresher
 * at a time) lives elsewhere; the client only needs these two calls, which keeps it testable and
 * lets every server instance share one token (a second token invalidates the first after ~5 min).
 */
export interface AccessTokenProvider {
  /** A token believed valid; fetches and stores a new one when there is none. */
  getAccessToken(): Promise<string>;
  /**
   * WeChat refused `staleToken` (40001 / 40014 / 42001). Drop it, but only if it is still the stored
   * one: another instance may already have replaced it, and that newer token must survive.
   */
  invalidate(staleToken: string): Promise<void>;
}

/** What /cgi-bin/stable_token and /cgi-bin/token hand out. */
export interface AccessTokenGrant {
  accessToken: string;
  expiresInSeconds: number;
}
