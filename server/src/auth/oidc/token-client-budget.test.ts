import { describe, expect, it } from 'vitest';
import { tokenRequestClientId } from './token-client-budget.js';

const basic = (user: string, password = 'secret') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('tokenRequestClientId', () => {
  it('reads client_id from the form first', () => {
    expect(tokenRequestClientId({ client_id: 'appA' }, basic('appB'))).toBe('appA');
  });

  it('reads the user part of HTTP Basic, form-url-decoded as RFC 6749 asks', () => {
    expect(tokenRequestClientId({}, basic('app%2DB'))).toBe('app-B');
    expect(tokenRequestClientId(undefined, basic('appC'))).toBe('appC');
  });

  it('never keys a budget on a made-up or malformed value', () => {
    expect(tokenRequestClientId({ client_id: 'x'.repeat(129) }, null)).toBeNull();
    expect(tokenRequestClientId({ client_id: 'a b' }, null)).toBeNull();
    expect(tokenRequestClientId({ client_id: ['a'] }, null)).toBeNull();
    expect(tokenRequestClientId({}, basic('%E0%A4%A'))).toBeNull();
    expect(tokenRequestClientId({}, 'Bearer abc')).toBeNull();
    expect(tokenRequestClientId({}, undefined)).toBeNull();
  });
});
