import { describe, expect, it } from 'vitest';
import { standardTokenError } from './token-error-codes.js';

describe('standardTokenError', () => {
  it('makes a failed PKCE check invalid_grant with 400 (RFC 7636 §4.6)', () => {
    expect(standardTokenError(401, { error: 'invalid_request', error_description: 'code verification failed' })).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('keeps 401 for invalid_client alone', () => {
    expect(standardTokenError(401, { error: 'invalid_client', error_description: 'invalid client_secret' })).toBeNull();
    expect(standardTokenError(401, { error: 'invalid_request', error_description: 'code_verifier required because PKCE was used in authorization' })).toEqual({ status: 400, error: 'invalid_request' });
  });

  it('leaves right answers and non-OAuth bodies alone', () => {
    expect(standardTokenError(400, { error: 'invalid_grant', error_description: 'invalid code' })).toBeNull();
    expect(standardTokenError(429, { error: undefined })).toBeNull();
    expect(standardTokenError(500, undefined)).toBeNull();
  });
});
