import { AppError } from '../../errors.js';

/** The refusals of web authorization, each with its status and a message a user can act on. */
export const OAUTH_ERRORS = {
  WECHAT_OAUTH_STATE_INVALID: { status: 400, message: 'This sign-in link is not valid any more. Start again.' },
  WECHAT_OAUTH_STATE_EXPIRED: { status: 400, message: 'The WeChat authorization took too long. Start again.' },
  WECHAT_OAUTH_STATE_MISMATCH: { status: 400, message: 'The WeChat authorization came back to another browser than the one that started it. Start again in this browser.' },
  WECHAT_OAUTH_CONSENT_REFUSED: { status: 403, message: 'You did not allow the sign-in in WeChat.' },
  WECHAT_OAUTH_CODE_INVALID: { status: 400, message: 'The WeChat authorization expired or was already used. Start again.' },
  WECHAT_OAUTH_NOT_PERMITTED: {
    status: 503,
    message: 'This Official Account may not use web authorization: it needs to be a verified Service Account. Ask the site administrator.',
  },
  WECHAT_OAUTH_SNAPSHOT_USER: { status: 403, message: 'This page was opened in WeChat preview mode. Tap "Open" at the bottom to open it fully, then sign in.' },
  WECHAT_OAUTH_SESSION_CHANGED: { status: 409, message: 'You signed in to another account meanwhile. Start binding again.' },
  WECHAT_OAUTH_FAILED: { status: 502, message: 'WeChat authorization failed. Try again in a moment.' },
  INVALID_CALLBACK_URL: { status: 400, message: 'The page to return to must be a path on this site, such as /account.' },
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

export function oauthError(code: OAuthErrorCode): AppError {
  return new AppError(OAUTH_ERRORS[code].status, code, OAUTH_ERRORS[code].message);
}
