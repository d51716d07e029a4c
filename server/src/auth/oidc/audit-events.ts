import type { AuditEventInput } from '../../audit/types.js';
import type { AuditedCall } from '../audit-events.js';
import { CLIENT_ID_PATTERN } from './client-id.js';

type Details = Record<string, string | number | boolean | null>;

/** Grant types we name in the trail; anything else a caller sends is recorded as "other", not echoed. */
const KNOWN_GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
const KNOWN_TOKEN_TYPE_HINTS = new Set(['access_token', 'refresh_token']);
const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E ]{1,512}$/;

function clientIdOf(call: AuditedCall, from: Record<string, unknown> | URLSearchParams): string | null {
  const named = from instanceof URLSearchParams ? from.get('client_id') : from.client_id;
  const clientId = typeof named === 'string' ? named : call.basicAuthClientId;
  return clientId && CLIENT_ID_PATTERN.test(clientId) ? clientId : null;
}

function base(call: AuditedCall): Pick<AuditEventInput, 'outcome' | 'ip' | 'userAgent'> {
  return { outcome: call.result.ok ? 'success' : 'failure', ip: call.ip, userAgent: call.userAgent };
}

/**
 * The OAuth error (invalid_grant, invalid_client...) of a refusal, never its description. Not under
 * `code`: the sanitizer keeps only UPPER_SNAKE values there, anything else could be an OAuth code.
 */
function errorDetails(call: AuditedCall): Details {
  return call.result.ok ? {} : { oauthError: call.result.code };
}

/**
 * Whose tokens were issued: the `sub` of the id_token the provider just signed (subjects are user ids:
 * no pairwise subjects are configured). Read from our own answer, never from the request; the token
 * itself is not kept. Null without an id_token (no openid scope).
 */
function subjectOfIssuedIdToken(call: AuditedCall): string | null {
  const idToken = call.result.ok ? call.result.value.id_token : undefined;
  if (typeof idToken !== 'string') return null;
  try {
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof payload.sub === 'string' && CLIENT_ID_PATTERN.test(payload.sub) ? payload.sub : null;
  } catch {
    return null;
  }
}

/**
 * /oauth2/token: which app asked, by which grant, for whom (when it got an id_token), and how it ended.
 * The code, the refresh token, the verifier and the client secret in the same body are never read.
 */
export function describeTokenRequest(call: AuditedCall): AuditEventInput {
  const grantType = typeof call.body.grant_type === 'string' ? call.body.grant_type : null;
  return {
    ...base(call),
    type: call.result.ok ? 'oidc.token-issued' : 'oidc.token-refused',
    userId: subjectOfIssuedIdToken(call),
    details: { grantType: grantType === null ? null : KNOWN_GRANT_TYPES.has(grantType) ? grantType : 'other', clientId: clientIdOf(call, call.body), ...errorDetails(call) },
  };
}

/** /oauth2/revoke: which app revoked which kind of token (`revoked`: a key without "token", which the sanitizer drops); never the token. */
export function describeRevocation(call: AuditedCall): AuditEventInput {
  const hint = typeof call.body.token_type_hint === 'string' && KNOWN_TOKEN_TYPE_HINTS.has(call.body.token_type_hint) ? call.body.token_type_hint : null;
  return { ...base(call), type: 'oidc.token-revoked', userId: null, details: { revoked: hint, clientId: clientIdOf(call, call.body), ...errorDetails(call) } };
}

/** /oauth2/consent: the signed-in person allowed (or refused) an app these scopes. Without a session it is nobody's. */
export function describeConsent(call: AuditedCall): AuditEventInput | null {
  if (!call.sessionUserId) return null;
  const query = new URLSearchParams(typeof call.body.oauth_query === 'string' ? call.body.oauth_query : '');
  const scope = typeof call.body.scope === 'string' ? call.body.scope : query.get('scope');
  return {
    ...base(call),
    type: call.body.accept === false ? 'oidc.consent-denied' : 'oidc.consent-given',
    userId: call.sessionUserId,
    details: { clientId: clientIdOf(call, query), scope: scope && SCOPE_PATTERN.test(scope) ? scope : null, ...errorDetails(call) },
  };
}

export const OIDC_DESCRIBERS = {
  '/oauth2/token': describeTokenRequest,
  '/oauth2/revoke': describeRevocation,
  '/oauth2/consent': describeConsent,
} as const;
